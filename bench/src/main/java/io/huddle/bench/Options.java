package io.huddle.bench;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What one run does: a named preset, then any flag overrides it. */
final class Options {
  /** Thrown for a bad command line; Bench prints it with the usage and exits 2. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  /** Which server the run talks to: its REST calls, handshake and frame formats. */
  enum Target {
    /** Huddle: sign-up and log-in, bearer tokens, typed frames with seq and acks. */
    HUDDLE,
    /**
     * The Go server Huddle replaced: no accounts, {@code ?userId&username} on the handshake, raw
     * text frames in, {@code {"content","roomId","username"}} frames out (no seq, no ack).
     */
    GO
  }

  /** The Go server deadlocks when ~32 handshakes join one room at once: at most this many. */
  static final int GO_CONNECT_PARALLEL = 32;

  String preset = "custom";
  String description = "custom run";
  Target target = Target.HUDDLE;
  URI url = URI.create("http://127.0.0.1:8080");

  /**
   * Huddle's readiness check; null = /q/health/ready on the management port (9000, Quarkus'
   * default) of the first --url's host.
   */
  URI healthUrl;

  /**
   * Every server (node) to connect to; client i uses urls[i % n]. The first one also serves REST.
   */
  List<URI> urls = List.of(url);

  int users = 10;
  int rooms = 1;
  int clients = 10;
  int senders = 1;
  double rate = 10;
  int size = 100;
  Duration warmup = Duration.ofSeconds(30);
  Duration measure = Duration.ofSeconds(30);
  Duration drain = Duration.ofSeconds(10);

  /** Idle presets (no senders): how long to keep the connections open after the last one. */
  Duration hold = Duration.ofSeconds(10);

  int connectParallel = 64;
  int signupParallel = 4;
  Duration handshakeTimeout = Duration.ofSeconds(30);

  boolean ramp;
  double rampFactor = 1.5;
  int rampMaxSteps = 12;

  /** A failed step is measured again this many times before the ramp stops. */
  int rampRetries = 1;

  Duration stepWarmup = Duration.ofSeconds(5);
  Duration stepMeasure = Duration.ofSeconds(10);

  /** A step (or a fixed run) fails above this p99 in ms; 0 = no latency check. */
  double p99LimitMs;

  /** A step (or a fixed run) fails above this loss in percent of expected deliveries. */
  double lossLimitPct = 0.1;

  int stall;
  Long serverPid;

  /** Every server process to sample (one per node): their CPU and RSS are summed. */
  List<Long> serverPids = List.of();

  /** Idle presets: also measure the server's live heap (jcmd GC.run + GC.heap_info). */
  boolean serverHeap;

  Path json;

  /**
   * Write every ack of the run (clientId, room, seq) here, one tab-separated line each, so that a
   * script can check each acknowledged message against the database.
   */
  Path acked;

  Path userCache;
  int eventLoops = Math.max(1, Runtime.getRuntime().availableProcessors());

  /** The server's huddle.chat.max-content-length: larger sizes are padded with 3-byte chars. */
  int maxChars = 4000;

  /** The watchdog ends the run (exit 4) after this; 0 = computed from the phases. */
  Duration maxRun = Duration.ZERO;

  /** Presets, tuned to the 2-core machine; every value can be overridden by a flag. */
  static final Map<String, String> PRESETS = new LinkedHashMap<>();

  static {
    PRESETS.put("smoke", "tiny fixed-rate run with strict checks (CI)");
    PRESETS.put(
        "S1", "1 room x 500 clients, 5 senders, ramp x1.5 until p99 > 100 ms or loss > 0.1 %");
    PRESETS.put("S2", "10 rooms x 100 clients, 10 senders, ramp x1.5");
    PRESETS.put("S2fixed", "10 rooms x 100 clients, 10 senders, 675 msg/s = 67.5 k deliveries/s");
    PRESETS.put("S3", "2000 idle connections over 20 rooms: server RSS per connection");
    PRESETS.put("S3prime", "2000 clients joining one room: time to connect all");
    PRESETS.put("S4", "1 room x 50 clients, 10 senders, 1000 msg/s for 30 s: latency tail");
    PRESETS.put("S5", "1 room x 50 clients, one stops reading, 200 msg/s x 8 KB");
    PRESETS.put(
        "storm",
        "2000 clients over 20 rooms, 64 handshakes in flight (32 with --target go): connect"
            + " storm");
  }

  static String canonicalPreset(String name) {
    String n = name.toLowerCase(Locale.ROOT).replace("'", "prime").replace("-", "");
    for (String p : PRESETS.keySet()) {
      if (p.toLowerCase(Locale.ROOT).equals(n)) {
        return p;
      }
    }
    if (n.equals("s2675")) {
      return "S2fixed";
    }
    return null;
  }

  private void applyPreset(String name) {
    preset = name;
    description = PRESETS.get(name);
    switch (name) {
      case "smoke" -> {
        rooms = 2;
        clients = 10;
        users = 10;
        senders = 2;
        rate = 20;
        warmup = Duration.ofSeconds(1);
        measure = Duration.ofSeconds(3);
        drain = Duration.ofSeconds(5);
        lossLimitPct = 0;
        p99LimitMs = 0;
      }
      case "S1" -> {
        rooms = 1;
        clients = 500;
        users = 100;
        senders = 5;
        ramp = true;
        rate = 20; // 10 k deliveries/s
        p99LimitMs = 100;
      }
      case "S2" -> {
        rooms = 10;
        clients = 1000;
        users = 100;
        senders = 10;
        ramp = true;
        rate = 100; // 10 k deliveries/s
        p99LimitMs = 100;
      }
      case "S2fixed" -> {
        rooms = 10;
        clients = 1000;
        users = 100;
        senders = 10;
        rate = 675;
      }
      case "S3" -> {
        rooms = 20;
        clients = 2000;
        users = 200;
        senders = 0;
        hold = Duration.ofSeconds(15);
        serverHeap = true;
      }
      case "S3prime" -> {
        rooms = 1;
        clients = 2000;
        users = 200;
        senders = 0;
        hold = Duration.ofSeconds(5);
        serverHeap = true;
      }
      case "S4" -> {
        rooms = 1;
        clients = 50;
        users = 50;
        senders = 10;
        rate = 1000;
      }
      case "S5" -> {
        rooms = 1;
        clients = 50;
        users = 50;
        senders = 5;
        rate = 200;
        size = 8192;
        stall = 1;
        warmup = Duration.ofSeconds(10);
        measure = Duration.ofSeconds(20);
        drain = Duration.ofSeconds(15);
      }
      case "storm" -> {
        rooms = 20;
        clients = 2000;
        users = 200;
        senders = 0;
        connectParallel = 64;
        hold = Duration.ZERO;
      }
      default -> throw new IllegalArgumentException(name);
    }
  }

  static Options parse(String[] args) throws UsageException {
    Map<String, String> flags = new LinkedHashMap<>();
    List<String> switches = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new UsageException("Unexpected argument: " + a);
      }
      String key = a.substring(2);
      String value = null;
      int eq = key.indexOf('=');
      if (eq >= 0) {
        value = key.substring(eq + 1);
        key = key.substring(0, eq);
      }
      if (key.equals("ramp")
          || key.equals("server-heap")
          || key.equals("help")
          || key.equals("list-presets")) {
        switches.add(key);
        continue;
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new UsageException("--" + key + " needs a value");
        }
        value = args[++i];
      }
      flags.put(key, value);
    }
    Options o = new Options();
    if (switches.contains("help")) {
      o.preset = "help";
      return o;
    }
    if (switches.contains("list-presets")) {
      o.preset = "list";
      return o;
    }
    String presetName = flags.remove("preset");
    if (presetName != null) {
      String p = canonicalPreset(presetName);
      if (p == null) {
        throw new UsageException(
            "Unknown preset " + presetName + "; known: " + String.join(", ", PRESETS.keySet()));
      }
      o.applyPreset(p);
    }
    if (switches.contains("server-heap")) {
      o.serverHeap = true;
    }
    if (switches.contains("ramp")) {
      o.ramp = true;
      if (o.p99LimitMs == 0) {
        o.p99LimitMs = 100;
      }
    }
    for (Map.Entry<String, String> e : flags.entrySet()) {
      o.set(e.getKey(), e.getValue());
    }
    if (o.target == Target.GO) {
      if (!flags.containsKey("connect-parallel")) {
        o.connectParallel = Math.min(o.connectParallel, GO_CONNECT_PARALLEL);
      }
      if (switches.contains("server-heap")) {
        throw new UsageException("--server-heap needs a JVM server, not --target go");
      }
      o.serverHeap = false; // jcmd would send the Go process SIGQUIT, which ends it
    }
    o.validate();
    return o;
  }

  private void set(String key, String v) throws UsageException {
    try {
      switch (key) {
        case "url" -> {
          List<URI> list = new ArrayList<>();
          for (String u : v.split(",")) {
            String t = u.trim();
            list.add(URI.create(t.endsWith("/") ? t.substring(0, t.length() - 1) : t));
          }
          urls = List.copyOf(list);
          url = urls.get(0);
        }
        case "target" -> target = target(v);
        case "health-url" -> healthUrl = URI.create(v.trim());
        case "users" -> users = Integer.parseInt(v);
        case "rooms" -> rooms = Integer.parseInt(v);
        case "clients" -> clients = Integer.parseInt(v);
        case "senders" -> senders = Integer.parseInt(v);
        case "rate" -> rate = Double.parseDouble(v);
        case "size" -> size = Integer.parseInt(v);
        case "warmup" -> warmup = duration(v);
        case "measure" -> measure = duration(v);
        case "drain" -> drain = duration(v);
        case "hold" -> hold = duration(v);
        case "connect-parallel" -> connectParallel = Integer.parseInt(v);
        case "signup-parallel" -> signupParallel = Integer.parseInt(v);
        case "handshake-timeout" -> handshakeTimeout = duration(v);
        case "ramp-factor" -> rampFactor = Double.parseDouble(v);
        case "ramp-max-steps" -> rampMaxSteps = Integer.parseInt(v);
        case "ramp-retries" -> rampRetries = Integer.parseInt(v);
        case "step-warmup" -> stepWarmup = duration(v);
        case "step-measure" -> stepMeasure = duration(v);
        case "p99-limit-ms" -> p99LimitMs = Double.parseDouble(v);
        case "loss-limit-pct" -> lossLimitPct = Double.parseDouble(v);
        case "stall" -> stall = Integer.parseInt(v);
        case "server-pid" -> {
          List<Long> list = new ArrayList<>();
          for (String p : v.split(",")) {
            list.add(Long.parseLong(p.trim()));
          }
          serverPids = List.copyOf(list);
          serverPid = serverPids.get(0);
        }
        case "json" -> json = Path.of(v);
        case "acked" -> acked = Path.of(v);
        case "user-cache" -> userCache = Path.of(v);
        case "event-loops" -> eventLoops = Integer.parseInt(v);
        case "max-chars" -> maxChars = Integer.parseInt(v);
        case "max-run" -> maxRun = duration(v);
        default -> throw new UsageException("Unknown flag --" + key);
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException("Bad value for --" + key + ": " + v);
    }
  }

  private static Target target(String v) {
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "huddle" -> Target.HUDDLE;
      case "go" -> Target.GO;
      default -> throw new IllegalArgumentException(v);
    };
  }

  /** "30", "30s", "500ms", "2m". */
  static Duration duration(String v) {
    String s = v.trim().toLowerCase(Locale.ROOT);
    if (s.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
    }
    if (s.endsWith("s")) {
      return Duration.ofMillis(
          Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1e3));
    }
    if (s.endsWith("m")) {
      return Duration.ofMillis(
          Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 6e4));
    }
    return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1e3));
  }

  private void validate() throws UsageException {
    for (URI u : urls) {
      requireLocal(u, "--url");
    }
    if (healthUrl != null) {
      requireLocal(healthUrl, "--health-url");
    }
    require(
        target == Target.HUDDLE || healthUrl == null,
        "--health-url is Huddle's; the Go server is checked with GET /api/v1/ws/getRooms");
    require(clients >= 1 && clients <= 20_000, "--clients must be 1..20000");
    require(rooms >= 1 && rooms <= clients, "--rooms must be 1..clients");
    require(users >= 1 && users <= clients, "--users must be 1..clients");
    require(senders >= 0 && senders + stall <= clients, "--senders + --stall must be <= clients");
    require(stall >= 0, "--stall must be >= 0");
    require(senders == 0 || (rate > 0 && rate <= 200_000), "--rate must be in (0, 200000]");
    require(connectParallel >= 1 && connectParallel <= 1024, "--connect-parallel must be 1..1024");
    require(signupParallel >= 1 && signupParallel <= 64, "--signup-parallel must be 1..64");
    require(rampFactor > 1 && rampFactor <= 10, "--ramp-factor must be in (1, 10]");
    require(rampMaxSteps >= 1 && rampMaxSteps <= 30, "--ramp-max-steps must be 1..30");
    require(rampRetries >= 0 && rampRetries <= 3, "--ramp-retries must be 0..3");
    require(eventLoops >= 1 && eventLoops <= 64, "--event-loops must be 1..64");
    require(lossLimitPct >= 0 && p99LimitMs >= 0, "limits must be >= 0");
    require(!ramp || senders > 0, "--ramp needs senders");
    require(
        size >= Content.minSize() && size <= Content.maxSize(maxChars),
        "--size must be " + Content.minSize() + ".." + Content.maxSize(maxChars) + " bytes");
    Duration longest = Duration.ofHours(1);
    for (Duration d : List.of(warmup, measure, drain, hold, stepWarmup, stepMeasure)) {
      require(!d.isNegative() && d.compareTo(longest) <= 0, "durations must be 0..1h");
    }
    require(!measure.isZero() || senders == 0, "--measure must be > 0");
  }

  /** Only this machine is ever a target. */
  private static void requireLocal(URI u, String flag) throws UsageException {
    if (!"http".equals(u.getScheme()) || u.getHost() == null) {
      throw new UsageException(
          flag + " must be http://127.0.0.1:<port> or http://localhost:<port>");
    }
    if (!isLoopback(u.getHost())) {
      throw new UsageException(
          flag
              + " must point at this machine (127.0.0.0/8, localhost or [::1]), not "
              + u.getHost());
    }
  }

  private static void require(boolean ok, String message) throws UsageException {
    if (!ok) {
      throw new UsageException(message);
    }
  }

  static boolean isLoopback(String host) {
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!h.matches("[0-9.]+") && !h.contains(":")) {
      return false; // never resolve other names: only literal loopback addresses are targets
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  String host() {
    return host(url);
  }

  int port() {
    return port(url);
  }

  /** The server client {@code i} connects to (round-robin over --url). */
  URI urlFor(int i) {
    return urls.get(i % urls.size());
  }

  static String host(URI u) {
    String h = u.getHost();
    return h.equalsIgnoreCase("localhost") ? "127.0.0.1" : h;
  }

  static int port(URI u) {
    return u.getPort() > 0 ? u.getPort() : 80;
  }

  /** An upper bound for the whole run, used by the watchdog. */
  Duration runBudget() {
    if (!maxRun.isZero()) {
      return maxRun;
    }
    Duration setup =
        Duration.ofSeconds(60 + (long) Math.ceil(users * 2 * 0.25 / signupParallel))
            .plus(Duration.ofSeconds(30 + clients / 10));
    Duration load;
    if (senders == 0) {
      load = hold.plus(Duration.ofNanos(Run.PROBE_TIMEOUT_NANOS));
    } else if (ramp) {
      load =
          warmup.plus(
              stepWarmup
                  .plus(stepMeasure)
                  .plus(drain)
                  .plus(Duration.ofSeconds(5))
                  .multipliedBy(rampMaxSteps));
    } else {
      load = warmup.plus(measure).plus(drain);
    }
    return setup.plus(load).plus(Duration.ofSeconds(60));
  }

  static String usage() {
    StringBuilder b = new StringBuilder();
    b.append(
        """
        Usage: java -jar bench/target/huddle-bench.jar [--preset NAME] [flags]

        Targets only this machine (127.0.0.0/8, localhost, [::1]). Every flag overrides the preset.

          --target huddle|go            huddle (default), or the Go server it replaced (e.g.
                                        --url http://127.0.0.1:18090): no sign-up, raw text
                                        frames, no seq or ack checks, 32 handshakes in
                                        flight unless --connect-parallel says otherwise
          --url http://127.0.0.1:8080   server base URL; a comma-separated list spreads the
                                        clients (senders too) round-robin over several nodes
          --health-url URL              Huddle's readiness check, on its management port
                                        (default: http://<url's host>:9000/q/health/ready)
          --users K  --rooms R  --clients N  --senders S
          --rate MSG_PER_S              overall open-loop send rate (all senders together)
          --size BYTES                  content size in UTF-8 bytes (default 100)
          --warmup 30s  --measure 30s  --drain 10s  --hold 10s (idle presets)
          --ramp                        raise the rate x--ramp-factor (1.5) per step until p99 >
                                        --p99-limit-ms (100) or loss > --loss-limit-pct (0.1)
          --step-warmup 5s --step-measure 10s --ramp-max-steps 12 (steps, retries included)
          --ramp-retries 1              measure a failed step again before stopping
          --stall K                     K clients stop reading during the measured window
          --connect-parallel 64         handshakes in flight
          --signup-parallel 4           sign-ups/log-ins in flight (bcrypt is slow on purpose)
          --server-pid PID[,PID...]     sample the server's CPU and RSS from /proc (summed)
          --server-heap                 idle presets: live heap per connection via jcmd (full GCs
                                        in the server; on by default for S3 and S3prime)
          --json FILE                   also write the report as JSON
          --acked FILE                  write every ack (clientId, room, seq; tab-separated)
                                        received in the whole run, to check against the database
          --user-cache FILE             reuse users and tokens between runs against one database
          --event-loops N               client event loops (default: available processors)
          --max-chars 4000              the server's max content length in characters
          --max-run DURATION            hard stop (default: computed from the phases)
          --list-presets  --help

        Presets:
        """);
    PRESETS.forEach((k, v) -> b.append(String.format("  %-8s %s%n", k, v)));
    b.append(
        "\nExit code: 0 passed, 1 checks failed, 2 usage, 3 setup failed, 4 ran out of time.\n");
    return b.toString();
  }
}
