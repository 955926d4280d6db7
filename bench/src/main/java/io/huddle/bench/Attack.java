package io.huddle.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The abuse driver for the reliability soak (bench/attack.sh, docs/reliability.md): one account and
 * one client address attack one Huddle server at the same time, until --duration or SIGTERM, and
 * the driver counts what the server answered. Every connection comes from --from (another loopback
 * address than the victim's 127.0.0.1), so the per-address limits it hits are its own.
 *
 * <ul>
 *   <li>a: the account floods messages into its own room on several sockets, reconnecting when
 *       closed;
 *   <li>b: the same account floods pings on other sockets;
 *   <li>c: log-in brute force with wrong passwords: one existing email, then a new email each time;
 *   <li>d: sign-ups and room creations in a loop;
 *   <li>e: slowloris: many unfinished HTTP requests, re-opened when closed.
 * </ul>
 *
 * <p>{@code java -cp bench/target/huddle-bench.jar io.huddle.bench.Attack --url
 * http://127.0.0.1:8080 --duration 5m}
 */
public final class Attack {
  private static final String USAGE =
      """
      Usage: java -cp bench/target/huddle-bench.jar io.huddle.bench.Attack --url http://127.0.0.1:PORT
        --from 127.0.0.2        source address of every connection (loopback only)
        --duration 5m           stop after this long (or at SIGTERM); the summary is printed either way
        --attacks abcde         which attacks run (a messages, b pings, c log-ins, d sign-ups/rooms,
                                e slowloris)
        --flood-sockets 6       (a) message sockets of the account
        --ping-sockets 2        (b) ping sockets of the account
        --login-threads 2       (c) requests in flight
        --one-email-for 50%     (c) brute-force the one email this long first (a share of
                                --duration, or a duration such as 150s), then a new one each time
        --slowloris 2000        (e) unfinished requests held open
        --trickle-share 0.5     (e) share of them that send one more header line every --trickle
        --trickle 20s
        --json FILE             also write the summary as JSON
      """;

  private final URI url;
  private final InetAddress from;
  private final Duration duration;
  private final String attacks;
  private final int floodSockets;
  private final int pingSockets;
  private final int loginThreads;
  private final Duration oneEmailFor;
  private final int slowlorisSockets;
  private final double trickleShare;
  private final Duration trickle;
  private final Path json;

  private final ObjectMapper mapper = new ObjectMapper();
  private final String id = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  private final long started = System.nanoTime();
  private volatile boolean running = true;
  private final List<Thread> threads = new ArrayList<>();

  private final Tally loginOneEmail = new Tally();
  private final Tally loginManyEmails = new Tally();
  private final Tally signups = new Tally();
  private final Tally roomCreations = new Tally();
  private String rightPasswordAfterwards = "not tried";
  private Flood flood;
  private Slowloris slowloris;
  private Vertx vertx;
  private boolean finished;

  private String targetEmail;
  private String targetPassword;
  private String token;

  private Attack(Map<String, String> f) {
    url = URI.create(f.getOrDefault("url", "http://127.0.0.1:8080"));
    from = address(f.getOrDefault("from", "127.0.0.2"));
    duration = Options.duration(f.getOrDefault("duration", "5m"));
    attacks = f.getOrDefault("attacks", "abcde");
    floodSockets = Integer.parseInt(f.getOrDefault("flood-sockets", "6"));
    pingSockets = Integer.parseInt(f.getOrDefault("ping-sockets", "2"));
    loginThreads = Integer.parseInt(f.getOrDefault("login-threads", "2"));
    String one = f.getOrDefault("one-email-for", "50%");
    oneEmailFor =
        one.endsWith("%")
            ? Duration.ofMillis(
                (long) (duration.toMillis() * Double.parseDouble(one.replace("%", "")) / 100))
            : Options.duration(one);
    slowlorisSockets = Integer.parseInt(f.getOrDefault("slowloris", "2000"));
    trickleShare = Double.parseDouble(f.getOrDefault("trickle-share", "0.5"));
    trickle = Options.duration(f.getOrDefault("trickle", "20s"));
    json = f.containsKey("json") ? Path.of(f.get("json")) : null;
    if (!"http".equals(url.getScheme()) || !Options.isLoopback(url.getHost())) {
      throw new IllegalArgumentException("--url must be http:// on this machine (loopback)");
    }
    if (!from.isLoopbackAddress()) {
      throw new IllegalArgumentException("--from must be a loopback address");
    }
  }

  public static void main(String[] args) {
    Map<String, String> flags = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || args[i].equals("--help") || i + 1 >= args.length) {
        System.err.print(USAGE);
        System.exit(args[i].equals("--help") ? 0 : 2);
      }
      flags.put(args[i].substring(2), args[++i]);
    }
    Set<String> known =
        Set.of(
            "url",
            "from",
            "duration",
            "attacks",
            "flood-sockets",
            "ping-sockets",
            "login-threads",
            "one-email-for",
            "slowloris",
            "trickle-share",
            "trickle",
            "json");
    for (String k : flags.keySet()) {
      if (!known.contains(k)) {
        System.err.println("attack: unknown flag --" + k);
        System.err.print(USAGE);
        System.exit(2);
      }
    }
    Attack a;
    try {
      a = new Attack(flags);
    } catch (IllegalArgumentException e) {
      System.err.println("attack: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      a.setUp();
    } catch (IOException e) {
      System.err.println("attack: setup failed: " + e.getMessage());
      System.exit(3);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(a::finish, "attack-summary"));
    a.start();
    a.waitForTheEnd();
    a.finish();
    System.exit(0);
  }

  private RawHttp http() {
    return new RawHttp(from, Options.host(url), Options.port(url));
  }

  private String body(String... kv) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return mapper.writeValueAsString(m);
  }

  /** The attacker's account and room, and a second account whose email is brute-forced. */
  private void setUp() throws IOException {
    try (RawHttp http = http()) {
      String name = "atk" + id;
      String email = name + "@attack.example.com";
      String password = "attacker-password-" + id;
      expect(
          http.post(
              "/api/v1/user/signup",
              null,
              body("username", name, "email", email, "password", password)),
          201,
          "sign-up");
      targetEmail = "victim" + id + "@attack.example.com";
      targetPassword = "target-password-" + id;
      expect(
          http.post(
              "/api/v1/user/signup",
              null,
              body("username", "vic" + id, "email", targetEmail, "password", targetPassword)),
          201,
          "sign-up of the brute-force target");
      RawHttp.Response r =
          http.post("/api/v1/user/login", null, body("email", email, "password", password));
      expect(r, 200, "log-in");
      JsonNode n = mapper.readTree(r.body());
      token = n.path("accessToken").asText();
      expect(
          http.post(
              "/api/v1/ws/createRoom", token, body("id", "attack-" + id, "name", "Attack " + id)),
          201,
          "createRoom");
    }
    progress("account atk%s, room attack-%s, from %s", id, id, from.getHostAddress());
  }

  private static void expect(RawHttp.Response r, int status, String what) throws IOException {
    if (r.status() != status) {
      throw new IOException(what + " answered " + r.status() + ": " + r.body());
    }
  }

  private void start() {
    if (attacks.contains("a") || attacks.contains("b")) {
      vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
      WebSocketClient client =
          vertx.createWebSocketClient(
              new WebSocketClientOptions()
                  .setLocalAddress(from.getHostAddress())
                  .setMaxConnections(200)
                  .setConnectTimeout(10_000)
                  .setTcpNoDelay(true));
      flood =
          new Flood(
              vertx,
              client,
              Options.host(url),
              Options.port(url),
              "/api/v1/ws/joinRoom/attack-" + id,
              token);
      flood.start(
          attacks.contains("a") ? floodSockets : 0, attacks.contains("b") ? pingSockets : 0);
    }
    if (attacks.contains("c")) {
      for (int i = 0; i < loginThreads; i++) {
        int t = i;
        spawn("login-" + i, () -> bruteForce(t));
      }
    }
    if (attacks.contains("d")) {
      spawn("signup", this::signupsAndRooms);
    }
    if (attacks.contains("e")) {
      slowloris =
          new Slowloris(
              from,
              new InetSocketAddress(Options.host(url), Options.port(url)),
              slowlorisSockets,
              trickleShare,
              trickle.toNanos());
      spawn("slowloris", slowloris);
    }
    spawn(
        "progress",
        () -> {
          while (running) {
            sleep(5000);
            if (running) {
              progress("%s", status());
            }
          }
        });
  }

  private void spawn(String name, Runnable r) {
    Thread t = new Thread(r, "attack-" + name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  private void bruteForce(int thread) {
    long switchAt = started + oneEmailFor.toNanos();
    try (RawHttp http = http()) {
      for (long n = 0; running; n++) {
        boolean one = System.nanoTime() < switchAt;
        String email =
            one ? targetEmail : "guess" + thread + "-" + n + "." + id + "@attack.example.com";
        Tally tally = one ? loginOneEmail : loginManyEmails;
        try {
          RawHttp.Response r =
              http.post("/api/v1/user/login", null, body("email", email, "password", "wrong" + n));
          tally.add(String.valueOf(r.status()));
        } catch (IOException e) {
          tally.add(Tally.reason(e));
          sleep(10);
        }
      }
    }
  }

  private void signupsAndRooms() {
    try (RawHttp http = http()) {
      for (long n = 0; running; n++) {
        String name = "s" + id + "x" + n;
        try {
          RawHttp.Response r =
              http.post(
                  "/api/v1/user/signup",
                  null,
                  body(
                      "username",
                      name.length() > 20 ? name.substring(name.length() - 20) : name,
                      "email",
                      name + "@attack.example.com",
                      "password",
                      "password-" + n));
          signups.add(String.valueOf(r.status()));
        } catch (IOException e) {
          signups.add(Tally.reason(e));
          sleep(10);
        }
        try {
          RawHttp.Response r =
              http.post(
                  "/api/v1/ws/createRoom",
                  token,
                  body("id", "atk-" + id + "-" + n, "name", "Attack room " + n));
          roomCreations.add(String.valueOf(r.status()));
        } catch (IOException e) {
          roomCreations.add(Tally.reason(e));
          sleep(10);
        }
      }
    }
  }

  private void waitForTheEnd() {
    long end = started + duration.toNanos();
    while (running && System.nanoTime() < end) {
      sleep(Math.min(200, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
    }
  }

  /** Stops every attack and prints the summary; once, from main or from the SIGTERM hook. */
  private synchronized void finish() {
    if (finished) {
      return;
    }
    finished = true;
    running = false;
    double seconds = (System.nanoTime() - started) / 1e9;
    if (flood != null) {
      flood.stop();
    }
    if (slowloris != null) {
      slowloris.stop();
    }
    long joinUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    for (Thread t : threads) {
      try {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinUntil - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (attacks.contains("c")) {
      // The one email after the brute force, with its right password: refused while locked.
      try (RawHttp http = http().timeout(3000)) {
        rightPasswordAfterwards =
            String.valueOf(
                http.post(
                        "/api/v1/user/login",
                        null,
                        body("email", targetEmail, "password", targetPassword))
                    .status());
      } catch (IOException e) {
        rightPasswordAfterwards = Tally.reason(e);
      }
    }
    Map<String, Object> s = summary(seconds);
    PrintStream out = System.out;
    out.printf("attack summary after %.1f s from %s%n", seconds, from.getHostAddress());
    s.forEach((k, v) -> out.printf("  %-10s %s%n", k, v));
    out.flush();
    if (json != null) {
      try {
        mapper.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), s);
      } catch (IOException e) {
        System.err.println("attack: cannot write " + json + ": " + e.getMessage());
      }
    }
    if (vertx != null) {
      vertx.close();
    }
  }

  private Map<String, Object> summary(double seconds) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seconds", Math.round(seconds * 10) / 10.0);
    m.put("from", from.getHostAddress());
    m.put("account", "atk" + id);
    m.put("attacks", attacks);
    if (flood != null) {
      m.put("messages", flood.messages.toJson());
      m.put("pings", flood.pings.toJson());
    }
    if (attacks.contains("c")) {
      Map<String, Object> l = new LinkedHashMap<>();
      l.put("oneEmail", loginOneEmail.snapshot());
      l.put("manyEmails", loginManyEmails.snapshot());
      l.put("rightPasswordOfTheOneEmailAfterwards", rightPasswordAfterwards);
      m.put("logins", l);
    }
    if (attacks.contains("d")) {
      m.put("signups", signups.snapshot());
      m.put("rooms", roomCreations.snapshot());
    }
    if (slowloris != null) {
      m.put("slowloris", slowloris.toJson());
    }
    return m;
  }

  private String status() {
    StringBuilder b = new StringBuilder();
    if (flood != null) {
      b.append("msg[").append(flood.messages.line()).append("] ");
      b.append("ping[").append(flood.pings.line()).append("] ");
    }
    if (attacks.contains("c")) {
      b.append("login one ").append(loginOneEmail).append(" many ").append(loginManyEmails);
      b.append(' ');
    }
    if (attacks.contains("d")) {
      b.append("signup ").append(signups).append(" rooms ").append(roomCreations).append(' ');
    }
    if (slowloris != null) {
      b.append("slowloris[").append(slowloris.line()).append(']');
    }
    return b.toString();
  }

  private void progress(String format, Object... args) {
    System.err.printf(
        "[attack %6.1f s] %s%n", (System.nanoTime() - started) / 1e9, String.format(format, args));
  }

  private static InetAddress address(String literal) {
    if (!literal.matches("[0-9.]+")) {
      throw new IllegalArgumentException("--from must be an IPv4 literal, not " + literal);
    }
    try {
      return InetAddress.getByName(literal);
    } catch (IOException e) {
      throw new IllegalArgumentException("bad --from " + literal);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
