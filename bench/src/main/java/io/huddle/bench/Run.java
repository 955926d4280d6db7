package io.huddle.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/** One bench run: set up users, rooms and connections, drive the load, collect the results. */
final class Run {
  private static final long SAMPLE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  /** How long the liveness probe of the idle presets waits for its deliveries. */
  static final long PROBE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** A ramp step is not judged when the generator sent later than this at p99. */
  static final double GENERATOR_LATE_MS = 10;

  final Options options;
  final ObjectMapper mapper = new ObjectMapper();
  final JsonFactory json = mapper.getFactory();
  final Totals totals;

  /** System.nanoTime() at the start: every time in the run is ns since this origin. */
  final long origin = System.nanoTime();

  final String runId = randomId();

  volatile Window window;

  private final Content content;
  private final Proc server;
  private final Proc self = Proc.self();
  private final List<Conn> conns = new ArrayList<>();
  private final Conn[] senderConns;
  private final long[] nextSeq;
  private volatile boolean stopSending;

  /** Every ack of the run as "clientId\troomId\tseq", when --acked asks for them. */
  private final java.util.Queue<String> ackedLines =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  private Vertx vertx;
  private WebSocketClient client;

  // Setup results, read by the report.
  double signupSeconds;
  boolean usersFromCache;
  List<String> roomIds = new ArrayList<>();
  double connectSeconds;
  int connected;
  final Histogram handshake = new Histogram(Window.HIGHEST_MICROS, 3);
  final Map<String, Integer> connectFailures = new TreeMap<>();
  Proc.Sample serverBeforeConnect;
  long serverHeapBeforeConnectKib = -1;
  long serverHeapAfterHoldKib = -1;
  Proc.Sample serverAfterConnect;
  Proc.Sample serverAfterHold;
  long serverRssPeakKib = -1;
  double holdSeconds;
  final List<StepResult> steps = new ArrayList<>();
  StepResult best;
  final List<String> failures = new ArrayList<>();
  final Map<Integer, Integer> stalledCloseCodes = new TreeMap<>();
  int stalledStillOpen;
  final Map<Integer, Integer> unexpectedCloseCodes = new TreeMap<>();
  final List<String> unexpectedCloseSamples = new ArrayList<>();

  // The liveness probe (idle presets): rooms probed, and open connections that got it or not.
  int probeRooms;
  int probeReceived;
  int probeMissing;
  double probeSeconds;

  Run(Options options) {
    this.options = options;
    this.totals = new Totals(options.senders, options.clients);
    this.content = new Content(options.size, options.maxChars);
    this.server = options.serverPids.isEmpty() ? null : Proc.of(options.serverPids);
    this.senderConns = new Conn[options.senders];
    this.nextSeq = new long[options.senders];
  }

  long now() {
    return System.nanoTime() - origin;
  }

  boolean goTarget() {
    return options.target == Options.Target.GO;
  }

  /** The user name connection {@code c} has: Huddle's sign-up name, or the Go handshake's. */
  String username(Conn c) {
    return "hb" + runId + "_" + c.user;
  }

  /** Runs every phase; failures of the checks end up in {@link #failures} and the steps. */
  void execute() throws IOException, InterruptedException {
    if (server != null && !server.exists()) {
      throw new IOException("No process " + options.serverPids + " (--server-pid)");
    }
    Api api = new Api(options.url, options.target, options.healthUrl, mapper);
    api.checkReachable();

    long t = System.nanoTime();
    // The Go server has no accounts: a connection names its user on the handshake instead.
    List<Api.User> users =
        goTarget()
            ? List.of()
            : api.users(options.users, options.signupParallel, runId, options.userCache);
    usersFromCache = api.usersFromCache;
    signupSeconds = seconds(t);
    for (int r = 0; r < options.rooms; r++) {
      String id = "bench-" + runId + "-" + r;
      api.createRoom(goTarget() ? null : users.get(0).token(), id, "Bench room " + r);
      roomIds.add(id);
    }
    if (goTarget()) {
      Bench.progress("Go server: no sign-up, %d rooms created", roomIds.size());
    } else {
      Bench.progress(
          "%d users ready in %.1f s%s, %d rooms created",
          users.size(), signupSeconds, usersFromCache ? " (cached)" : "", roomIds.size());
    }

    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(options.eventLoops));
    client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setMaxConnections(options.clients + 16)
                .setMaxFrameSize(1 << 20)
                .setMaxMessageSize(16 << 20)
                .setConnectTimeout((int) options.handshakeTimeout.toMillis())
                .setTcpNoDelay(true));
    try {
      buildConnections();
      connectAll(users);
      if (connected < options.clients) {
        failures.add(
            "only "
                + connected
                + " of "
                + options.clients
                + " connections opened: "
                + connectFailures);
      }
      if (options.senders == 0) {
        hold();
        probe();
      } else if (connected == options.clients) {
        drive();
      }
      summarizeCloses();
    } finally {
      closeAll();
    }
  }

  private void buildConnections() {
    int firstStalled = options.clients - options.stall;
    for (int i = 0; i < options.clients; i++) {
      // Senders are the first S connections, so they spread round-robin over the rooms.
      int sender = i < options.senders ? i : -1;
      Conn c =
          new Conn(
              this,
              i,
              i % options.rooms,
              i % options.users,
              sender,
              i >= firstStalled,
              options.senders);
      conns.add(c);
      if (sender >= 0) {
        senderConns[sender] = c;
      }
    }
  }

  private void connectAll(List<Api.User> users) throws InterruptedException {
    if (server != null && options.serverHeap && options.senders == 0) {
      serverHeapBeforeConnectKib = server.liveHeapKib();
    }
    serverBeforeConnect = sampleServer();
    Semaphore inFlight = new Semaphore(options.connectParallel);
    CountDownLatch done = new CountDownLatch(conns.size());
    AtomicLong ok = new AtomicLong();
    Map<String, Integer> failed = new ConcurrentHashMap<>();
    long perHandshakeMs = options.handshakeTimeout.toMillis();
    long start = System.nanoTime();
    long deadline =
        start + TimeUnit.MILLISECONDS.toNanos(perHandshakeMs) * 4 + TimeUnit.SECONDS.toNanos(60);
    for (Conn c : conns) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !inFlight.tryAcquire(left, TimeUnit.NANOSECONDS)) {
        failed.merge("not started (connect phase timed out)", 1, Integer::sum);
        done.countDown();
        continue;
      }
      String path = "/api/v1/ws/joinRoom/" + encode(roomIds.get(c.room));
      if (goTarget()) {
        // The Go hub keys a room's clients by userId: one per connection, or a second connection
        // of the same id would never be registered (and its leave would remove the first).
        path += "?userId=" + c.index + "&username=" + encode(username(c));
      }
      // No WebSocketConnectOptions.setTimeout: in Vert.x 4.5.27 its timer later closes the first
      // connection of the client (code 1000, once the timeout has passed). A timer of our own
      // bounds the handshake instead.
      WebSocketConnectOptions o =
          new WebSocketConnectOptions()
              .setHost(Options.host(options.urlFor(c.index)))
              .setPort(Options.port(options.urlFor(c.index)))
              .setURI(path);
      if (!goTarget()) {
        o.addHeader("Authorization", "Bearer " + users.get(c.user).token());
      }
      long t = System.nanoTime();
      AtomicBoolean settled = new AtomicBoolean();
      long timer =
          vertx.setTimer(
              perHandshakeMs,
              id -> {
                if (settled.compareAndSet(false, true)) {
                  failed.merge("handshake timed out", 1, Integer::sum);
                  inFlight.release();
                  done.countDown();
                }
              });
      client
          .connect(o)
          .onComplete(
              ar -> {
                if (!settled.compareAndSet(false, true)) {
                  if (ar.succeeded()) {
                    ar.result().close(); // too late: already counted as timed out
                  }
                  return;
                }
                vertx.cancelTimer(timer);
                long micros = (System.nanoTime() - t) / 1000;
                if (ar.succeeded()) {
                  c.attach(ar.result());
                  synchronized (handshake) {
                    handshake.recordValue(Math.min(micros, Window.HIGHEST_MICROS));
                  }
                  ok.incrementAndGet();
                } else {
                  failed.merge(reason(ar.cause()), 1, Integer::sum);
                }
                inFlight.release();
                done.countDown();
              });
    }
    long left = deadline - System.nanoTime();
    if (!done.await(Math.max(1, left), TimeUnit.NANOSECONDS)) {
      failed.merge("handshake still pending at the deadline", (int) done.getCount(), Integer::sum);
    }
    connectSeconds = seconds(start);
    connected = (int) ok.get();
    connectFailures.putAll(failed);
    serverAfterConnect = sampleServer();
    Bench.progress(
        "%d/%d connections open in %.2f s (%d in flight)",
        connected, options.clients, connectSeconds, options.connectParallel);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String reason(Throwable t) {
    if (t instanceof UpgradeRejectedException u) {
      return "HTTP " + u.getStatus();
    }
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m.split("\n")[0]);
  }

  /** Idle presets: keep everything open for --hold, watching the server's RSS. */
  private void hold() throws InterruptedException {
    long start = System.nanoTime();
    long end = start + options.hold.toNanos();
    while (System.nanoTime() < end) {
      sleepNanos(Math.min(SAMPLE_EVERY_NANOS, end - System.nanoTime()));
      Proc.Sample s = sampleServer();
      if (s != null) {
        serverRssPeakKib = Math.max(serverRssPeakKib, s.rssKib());
      }
    }
    holdSeconds = seconds(start);
    serverAfterHold = sampleServer();
    if (server != null && options.serverHeap) {
      serverHeapAfterHoldKib = server.liveHeapKib();
    }
  }

  /** The probe's content: not a bench header, so it is never counted as a window delivery. */
  private String probeText() {
    return "probe|" + runId + "|";
  }

  boolean isProbe(char[] text, int offset, int length) {
    String p = probeText();
    if (length < p.length()) {
      return false;
    }
    for (int i = 0; i < p.length(); i++) {
      if (text[offset + i] != p.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Idle presets: an open connection says little if its room no longer delivers (the Go server's
   * hub can deadlock during a join storm while the handshakes still succeed). After the hold, one
   * message per room from its first open connection must reach every open connection in that room
   * within 10 s. Runs after every idle figure is taken, so it changes none of them.
   */
  private void probe() throws InterruptedException {
    long start = System.nanoTime();
    for (int r = 0; r < options.rooms; r++) {
      for (Conn c : conns) {
        if (c.room == r && c.open()) {
          if (sendProbe(c, r)) {
            probeRooms++;
          }
          break;
        }
      }
    }
    long deadline = start + PROBE_TIMEOUT_NANOS;
    while (System.nanoTime() < deadline
        && conns.stream().anyMatch(c -> c.open() && !c.stalled && !c.probed)) {
      sleepNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    probeSeconds = seconds(start);
    for (Conn c : conns) {
      if (c.probed) {
        probeReceived++;
      } else if (c.open() && !c.stalled) {
        probeMissing++;
      }
    }
    Bench.progress(
        "probe: %d rooms, %d connections got it, %d open ones did not (%.2f s)",
        probeRooms, probeReceived, probeMissing, probeSeconds);
    if (probeMissing > 0) {
      failures.add(
          "liveness probe: "
              + probeMissing
              + " open connections did not get their room's message within "
              + TimeUnit.NANOSECONDS.toSeconds(PROBE_TIMEOUT_NANOS)
              + " s");
    }
  }

  private boolean sendProbe(Conn c, int room) {
    String text = probeText() + room;
    try {
      c.ws.writeTextMessage(
          goTarget()
              ? text
              : mapper.writeValueAsString(new Outbound("message", text, runId + ".probe" + room)));
      return true;
    } catch (IOException | IllegalStateException e) {
      return false;
    }
  }

  /** A fixed-rate run, or a ramp that raises the rate until a step fails. */
  private void drive() throws InterruptedException {
    // Let the join notices of the connect phase settle before the clock starts.
    sleepNanos(TimeUnit.MILLISECONDS.toNanos(500));
    if (!options.ramp) {
      StepResult r = step(0, options.rate, options.warmup, options.measure);
      steps.add(r);
      if (r.passed()) {
        best = r;
      }
      return;
    }
    double rate = options.rate;
    int retriesLeft = options.rampRetries;
    for (int i = 0; i < options.rampMaxSteps; i++) {
      StepResult r =
          step(i, rate, i == 0 ? options.warmup : options.stepWarmup, options.stepMeasure);
      steps.add(r);
      if (!r.passed()) {
        // A window in which the generator itself sent late says nothing about the server: measure
        // that rate again (bounded by --ramp-max-steps). Otherwise one noisy window on a shared
        // machine should not end the ramp either: --ramp-retries more tries.
        double lagMs = r.ms(r.senderLag, 99);
        if (lagMs > GENERATOR_LATE_MS) {
          Bench.progress(
              "step %d: the generator sent %.0f ms late (p99): measuring again", i, lagMs);
          continue;
        }
        if (retriesLeft-- > 0) {
          Bench.progress("step %d failed: measuring %.1f msg/s once more", i, rate);
          continue;
        }
        break;
      }
      best = r;
      retriesLeft = options.rampRetries;
      rate = rate * options.rampFactor;
    }
    if (best == null) {
      failures.add(
          "no ramp step passed (p99 <= "
              + options.p99LimitMs
              + " ms, loss <= "
              + options.lossLimitPct
              + " %)");
    }
  }

  private StepResult step(
      int index, double rate, java.time.Duration warm, java.time.Duration measure)
      throws InterruptedException {
    long t0 = now() + TimeUnit.MILLISECONDS.toNanos(100);
    Window w =
        new Window(
            index,
            rate,
            t0 + warm.toNanos(),
            t0 + warm.toNanos() + measure.toNanos(),
            options.senders,
            options.clients);
    window = w;
    stopSending = false;
    Bench.progress(
        "step %d: %.1f msg/s, warm-up %d s, measure %d s",
        index, rate, warm.toSeconds(), measure.toSeconds());
    Thread sender = Bench.daemon("sender").newThread(() -> sendSchedule(w, t0));
    sender.start();

    StepResult r = new StepResult();
    r.step = index;
    r.rate = rate;
    r.warmupSeconds = warm.toMillis() / 1e3;
    r.measureSeconds = measure.toMillis() / 1e3;

    sleepUntil(w.start);
    // Who is expected to receive: receivers open (and reading) when the window starts.
    r.expectedByReceiver = new long[options.clients];
    int[] activeInRoom = new int[options.rooms];
    for (Conn c : conns) {
      if (!c.stalled && c.open()) {
        activeInRoom[c.room]++;
      } else {
        r.expectedByReceiver[c.index] = -1;
      }
    }
    r.serverStart = sampleServer();
    double genStart = self.cpuSeconds();
    java.util.Map<Long, Double> othersStart = Proc.allProcesses();
    long[] gcStart = Proc.ownGc();
    if (index == 0) {
      for (Conn c : conns) {
        if (c.stalled && c.open()) {
          c.ws.pause();
        }
      }
    }
    while (now() < w.end) {
      sleepNanos(Math.min(SAMPLE_EVERY_NANOS, w.end - now()));
      Proc.Sample s = sampleServer();
      if (s != null) {
        r.serverRssPeakKib = Math.max(r.serverRssPeakKib, s.rssKib());
      }
    }
    r.serverEnd = sampleServer();
    r.generatorCpuSeconds = self.cpuSeconds() - genStart;
    java.util.Map<Long, Double> othersEnd = Proc.allProcesses();
    long[] gcEnd = Proc.ownGc();
    r.generatorGcCount = gcEnd[0] - gcStart[0];
    r.generatorGcMillis = gcEnd[1] - gcStart[1];
    if (!othersEnd.isEmpty()) {
      java.util.Set<Long> excluded = new java.util.HashSet<>();
      excluded.add(ProcessHandle.current().pid());
      excluded.addAll(options.serverPids);
      r.othersCpuSeconds = Proc.othersBetween(othersStart, othersEnd, excluded);
    }
    r.loadAverageEnd = Proc.loadAverage();

    // The schedule ends at w.end; a lagging generator may still be catching up, bounded by count.
    sender.join(TimeUnit.SECONDS.toMillis(60));
    if (sender.isAlive()) {
      stopSending = true;
      sender.join(TimeUnit.SECONDS.toMillis(5));
      r.failures.add("the generator could not keep up with the schedule (sender still busy)");
    }
    if (options.stall > 0) {
      for (Conn c : conns) {
        if (c.stalled && c.open()) {
          c.ws.resume();
        }
      }
    }

    r.sentBySender = toArray(w.sentBySender);
    r.expectedBySender = new long[options.senders];
    for (int s = 0; s < options.senders; s++) {
      r.sent += r.sentBySender[s];
      r.expectedBySender[s] = r.sentBySender[s] * activeInRoom[senderConns[s].room];
      r.expected += r.expectedBySender[s];
    }
    for (Conn c : conns) {
      if (r.expectedByReceiver[c.index] >= 0) {
        long e = 0;
        for (int s = 0; s < options.senders; s++) {
          if (senderConns[s].room == c.room) {
            e += r.sentBySender[s];
          }
        }
        r.expectedByReceiver[c.index] = e;
      }
    }

    long drainStart = System.nanoTime();
    long drainEnd = drainStart + options.drain.toNanos();
    while (w.received.sum() < r.expected && System.nanoTime() < drainEnd) {
      sleepNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    r.drained = w.received.sum() >= r.expected;
    r.drainSeconds = seconds(drainStart);
    if (options.stall > 0) {
      // Stalled readers now read what piled up; give the server's close time to reach them.
      while (System.nanoTime() < drainEnd && conns.stream().anyMatch(c -> c.stalled && c.open())) {
        sleepNanos(TimeUnit.MILLISECONDS.toNanos(50));
      }
    }
    // Latency recorders are read once everything that will arrive has.
    r.received = w.received.sum();
    r.receivedByStalled = w.receivedByStalled.sum();
    r.receivedBySender = toArray(w.recvBySender);
    r.receivedByReceiver = toArray(w.recvByReceiver);
    r.latency = w.latency.getIntervalHistogram();
    r.ackLatency = w.ackLatency.getIntervalHistogram();
    r.acks = w.acks.sum();
    r.senderLag = w.senderLag;

    if (r.expected == 0) {
      r.failures.add("nothing was sent in the measured window");
    }
    if (r.lossPct() > options.lossLimitPct) {
      r.failures.add(
          String.format(
              "loss %.3f %% > %.3f %% (%d of %d deliveries missing%s)",
              r.lossPct(),
              options.lossLimitPct,
              r.lost(),
              r.expected,
              r.drained ? "" : " after a " + options.drain.toSeconds() + " s drain"));
    }
    if (options.p99LimitMs > 0 && r.p99Ms() > options.p99LimitMs) {
      r.failures.add(String.format("p99 %.1f ms > %.1f ms", r.p99Ms(), options.p99LimitMs));
    }
    Bench.progress(
        "step %d: %d/%d delivered, p99 %.1f ms%s",
        index, r.received, r.expected, r.p99Ms(), r.passed() ? "" : " -> " + r.failures);
    return r;
  }

  /** Open loop: message i is due at t0 + i/rate whatever happened to message i-1. */
  private void sendSchedule(Window w, long t0) {
    double interval = 1e9 / w.rate;
    int senders = options.senders;
    for (long i = 0; !stopSending; i++) {
      long due = t0 + (long) (i * interval);
      if (due >= w.end) {
        return;
      }
      long now = now();
      while (due > now && !stopSending) {
        LockSupport.parkNanos(due - now);
        now = now();
      }
      int s = (int) (i % senders);
      long seq = nextSeq[s]++;
      Conn c = senderConns[s];
      WebSocket ws = c.ws;
      if (ws == null || c.closed) {
        totals.sendSkipped.increment();
        continue;
      }
      String frame;
      if (goTarget()) {
        // The Go server takes a whole text frame as the message's content.
        frame = content.build(s, seq, due);
      } else {
        try {
          frame =
              mapper.writeValueAsString(
                  new Outbound(
                      "message",
                      content.build(s, seq, due),
                      runId + "." + s + "." + seq + "." + due));
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }
      try {
        if (ws.writeQueueFull()) {
          totals.writeQueueFull.increment();
        }
        ws.writeTextMessage(frame);
      } catch (IllegalStateException closedMeanwhile) {
        totals.sendSkipped.increment();
        continue;
      }
      if (w.contains(due)) {
        w.sentBySender.incrementAndGet(s);
        w.senderLag.recordValue(Window.micros(now() - due));
      }
    }
  }

  /** The client frame: {@code {"type":"message","content":"...","clientId":"..."}}. */
  record Outbound(String type, String content, String clientId) {}

  private void summarizeCloses() {
    for (Conn c : conns) {
      if (c.stalled) {
        if (c.closed) {
          stalledCloseCodes.merge(c.closeCode, 1, Integer::sum);
        } else {
          stalledStillOpen++;
        }
      } else if (c.closed && !c.closedByUs) {
        unexpectedCloseCodes.merge(c.closeCode, 1, Integer::sum);
        if (unexpectedCloseSamples.size() < 5) {
          unexpectedCloseSamples.add(
              String.format(
                  "connection %d (%s) closed %d \"%s\" %.1f s after the start",
                  c.index,
                  c.sender >= 0 ? "sender " + c.sender : "receiver",
                  c.closeCode,
                  c.closeReason,
                  c.closedAt / 1e9));
        }
      }
    }
  }

  private void closeAll() {
    if (vertx == null) {
      return;
    }
    for (Conn c : conns) {
      if (c.open()) {
        c.closedByUs = true;
        c.ws.close((short) 1000);
      }
    }
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < end && conns.stream().anyMatch(Conn::open)) {
      sleepQuietly(50);
    }
    CountDownLatch closed = new CountDownLatch(1);
    vertx.close().onComplete(ar -> closed.countDown());
    try {
      closed.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Called on the connection's event loop for every ack frame. */
  void recordAck(String clientId, String roomId, long seq) {
    if (options.acked != null && clientId != null) {
      ackedLines.add(clientId + "\t" + roomId + "\t" + seq);
    }
  }

  /** Writes the acks collected for --acked (after the run, when no more can arrive). */
  void writeAcked() throws IOException {
    if (options.acked == null) {
      return;
    }
    java.nio.file.Files.write(options.acked, ackedLines, StandardCharsets.UTF_8);
    Bench.progress("%d acks written to %s", ackedLines.size(), options.acked);
  }

  Proc.Sample sampleServer() {
    return server == null ? null : server.sample();
  }

  Proc.Sample sampleSelf() {
    return self.sample();
  }

  List<Conn> conns() {
    return conns;
  }

  private void sleepUntil(long t) throws InterruptedException {
    long left;
    while ((left = t - now()) > 0) {
      sleepNanos(left);
    }
  }

  private static void sleepNanos(long nanos) throws InterruptedException {
    if (nanos > 0) {
      TimeUnit.NANOSECONDS.sleep(nanos);
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long[] toArray(java.util.concurrent.atomic.AtomicLongArray a) {
    long[] r = new long[a.length()];
    for (int i = 0; i < r.length; i++) {
      r[i] = a.get(i);
    }
    return r;
  }

  static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static String randomId() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder b = new StringBuilder(6);
    for (int i = 0; i < 6; i++) {
      b.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
    }
    return b.toString();
  }
}
