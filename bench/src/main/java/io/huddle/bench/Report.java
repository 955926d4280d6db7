package io.huddle.bench;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Turns a finished run into a human table, a JSON document and a verdict. */
final class Report {
  private final Run run;
  private final Options o;
  private final Instant startedAt;
  private final List<String> failures = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final int processors = Runtime.getRuntime().availableProcessors();

  Report(Run run, Instant startedAt) {
    this.run = run;
    this.o = run.options;
    this.startedAt = startedAt;
    check();
  }

  boolean passed() {
    return failures.isEmpty();
  }

  List<String> failures() {
    return failures;
  }

  /** Run-level checks on top of each step's own. */
  private void check() {
    failures.addAll(run.failures);
    if (!o.ramp) {
      for (StepResult s : run.steps) {
        failures.addAll(s.failures);
      }
    }
    Totals t = run.totals;
    long dup = Totals.sum(t.dupByReceiver);
    long ooo = Totals.sum(t.oooByReceiver);
    if (dup > 0) {
      failures.add(dup + " duplicate deliveries");
    }
    if (ooo > 0) {
      failures.add(ooo + " out-of-order deliveries");
    }
    long gaps = Totals.sum(t.seqGapsByReceiver);
    long back = Totals.sum(t.seqBackByReceiver);
    if (gaps > 0 || back > 0) {
      failures.add("server seq not gapless: " + gaps + " missing, " + back + " going back");
    }
    if (t.errors.sum() > 0) {
      failures.add(t.errors.sum() + " error frames, e.g. " + t.errorSamples);
    }
    if (t.unparsable.sum() > 0) {
      failures.add(
          t.unparsable.sum()
              + " frames that are not JSON objects with a "
              + (goTarget() ? "string content" : "type"));
    }
    if (t.sendSkipped.sum() > 0) {
      failures.add(t.sendSkipped.sum() + " sends skipped because the sender's socket was closed");
    }
    if (!run.unexpectedCloseCodes.isEmpty()) {
      failures.add(
          "connections closed by the server: "
              + codes(run.unexpectedCloseCodes)
              + ", e.g. "
              + run.unexpectedCloseSamples);
    }
    if (o.stall > 0 && !run.steps.isEmpty()) {
      int closed1008 = run.stalledCloseCodes.getOrDefault(1008, 0);
      if (closed1008 != o.stall) {
        failures.add(
            "stalled clients: "
                + closed1008
                + " of "
                + o.stall
                + " closed with 1008 (closes "
                + codes(run.stalledCloseCodes)
                + ", still open "
                + run.stalledStillOpen
                + ")");
      }
    }
    for (StepResult s : run.steps) {
      double genCores = s.generatorCpuSeconds / s.measureSeconds;
      if (genCores > 0.9 * processors) {
        warnings.add(
            String.format(
                "step %d: the generator used %.0f %% of its %d CPU(s): its own limit may show",
                s.step, 100 * genCores, processors));
      }
      if (s.hasServer() && s.otherCpuSeconds() > 0.25 * s.measureSeconds) {
        warnings.add(
            String.format(
                "step %d: other processes took %.0f %% of a core during the window: figures are"
                    + " disturbed",
                s.step, 100 * s.otherCpuSeconds() / s.measureSeconds));
      }
      if (s.senderLag != null && s.ms(s.senderLag, 99) > Run.GENERATOR_LATE_MS) {
        warnings.add(
            String.format(
                "step %d: the generator sent late (p99 %.1f ms behind schedule)",
                s.step, s.senderLag.getValueAtPercentile(99) / 1000.0));
      }
    }
    if (run.serverBeforeConnect == null) {
      warnings.add("no --server-pid: no server CPU or RSS figures");
    }
  }

  private boolean goTarget() {
    return o.target == Options.Target.GO;
  }

  void print(PrintStream out) {
    out.println();
    out.printf(
        "Huddle bench: preset %s (%s), run %s, %s%n",
        o.preset, o.description, run.runId, startedAt);
    out.printf(
        "target %s %s, server pid %s; generator %d CPU(s), %d event loop(s), JDK %s%n",
        goTarget() ? "Go server" : "Huddle",
        o.urls.stream().map(Object::toString).collect(java.util.stream.Collectors.joining(",")),
        o.serverPids.isEmpty() ? "-" : o.serverPids,
        processors,
        o.eventLoops,
        System.getProperty("java.version"));
    out.println();
    out.println("setup");
    if (goTarget()) {
      out.printf(
          "  users        %d names, no sign-up (the Go server has no accounts): connection i"
              + " joins with ?userId=i&username=<name of user i mod %d>%n",
          o.users, o.users);
    } else {
      out.printf(
          "  users        %d %s in %.1f s (%d in flight)%n",
          o.users,
          run.usersFromCache ? "reused from the user cache" : "signed up and logged in",
          run.signupSeconds,
          o.signupParallel);
    }
    out.printf("  rooms        %d%n", o.rooms);
    out.printf(
        "  connections  %d/%d open in %.2f s, %d handshakes in flight; handshake p50 %s p99 %s"
            + " max %s ms%s%n",
        run.connected,
        o.clients,
        run.connectSeconds,
        o.connectParallel,
        f1(ms(run.handshake, 50)),
        f1(ms(run.handshake, 99)),
        f1(run.handshake.getMaxValue() / 1000.0),
        run.connectFailures.isEmpty() ? "" : "; failed: " + run.connectFailures);
    if (run.serverBeforeConnect != null) {
      double cpu = run.serverAfterConnect.cpuSeconds() - run.serverBeforeConnect.cpuSeconds();
      out.printf(
          "  server       RSS %s before connecting, %s after (%s per connection);"
              + " CPU %.2f s for the handshakes (%.2f ms each)%n",
          mib(run.serverBeforeConnect.rssKib()),
          mib(run.serverAfterConnect.rssKib()),
          kibPer(run.serverAfterConnect.rssKib() - run.serverBeforeConnect.rssKib(), run.connected),
          cpu,
          run.connected == 0 ? 0 : cpu * 1e3 / run.connected);
    }
    if (o.senders == 0 && run.serverAfterHold != null) {
      out.printf(
          "  idle hold    %.1f s: server RSS %s at the end, peak %s; growth %s per connection"
              + " since before connecting%n",
          run.holdSeconds,
          mib(run.serverAfterHold.rssKib()),
          mib(run.serverRssPeakKib),
          kibPer(run.serverAfterHold.rssKib() - run.serverBeforeConnect.rssKib(), run.connected));
    } else if (o.senders == 0) {
      out.printf("  idle hold    %.1f s%n", run.holdSeconds);
    }
    if (o.senders == 0) {
      out.printf(
          "  probe        one message per room after the hold: %d rooms, %d connections got it,"
              + " %d open ones did not, in %.2f s%n",
          run.probeRooms, run.probeReceived, run.probeMissing, run.probeSeconds);
    }
    if (run.serverHeapBeforeConnectKib >= 0 && run.serverHeapAfterHoldKib >= 0) {
      out.printf(
          "  live heap    %s before connecting, %s with the connections open (after a full GC"
              + " each): %s per connection%n",
          mib(run.serverHeapBeforeConnectKib),
          mib(run.serverHeapAfterHoldKib),
          kibPer(run.serverHeapAfterHoldKib - run.serverHeapBeforeConnectKib, run.connected));
    }
    if (!run.steps.isEmpty()) {
      printSteps(out);
      StepResult detail = run.best != null ? run.best : run.steps.get(run.steps.size() - 1);
      printDetail(out, detail);
    }
    printTotals(out);
    out.println();
    for (String w : warnings) {
      out.println("warning: " + w);
    }
    if (o.ramp && run.best != null) {
      out.printf(
          "ramp: highest passing step %d at %.1f msg/s = %.0f deliveries/s (p99 %.1f ms, loss %.3f %%)%n",
          run.best.step,
          run.best.rate,
          run.best.deliveriesPerSecond(),
          run.best.p99Ms(),
          run.best.lossPct());
    }
    if (passed()) {
      out.println("RESULT: PASS");
    } else {
      out.println("RESULT: FAIL");
      for (String f : failures) {
        out.println("  - " + f);
      }
    }
  }

  private void printSteps(PrintStream out) {
    out.println();
    out.printf(
        "load: %d senders over %d rooms, open loop, %d-byte content%s%n",
        o.senders,
        Math.min(o.senders, o.rooms),
        o.size,
        o.stall > 0 ? ", " + o.stall + " client(s) stop reading in the measured window" : "");
    out.println(
        "  step  msg/s    sent  expected  received  loss %   deliv/s  p50 ms  p90 ms  p99 ms"
            + "  p99.9 ms   max ms  srv CPU %  us/deliv  gen CPU %  result");
    for (StepResult s : run.steps) {
      out.printf(
          Locale.ROOT,
          "  %4d %6.1f %7d %9d %9d %7.3f %9.0f %7s %7s %7s %9s %8s %10s %9s %10s  %s%n",
          s.step,
          s.rate,
          s.sent,
          s.expected,
          s.received,
          s.lossPct(),
          s.deliveriesPerSecond(),
          f2(s.ms(s.latency, 50)),
          f2(s.ms(s.latency, 90)),
          f2(s.p99Ms()),
          f2(s.ms(s.latency, 99.9)),
          f2(s.latency.getMaxValue() / 1000.0),
          s.hasServer() ? f1(100 * s.serverCpuSeconds() / s.measureSeconds) : "-",
          s.hasServer() ? f2(s.serverMicrosPerDelivery()) : "-",
          f1(100 * s.generatorCpuSeconds / s.measureSeconds),
          s.passed() ? "pass" : "FAIL");
    }
  }

  private void printDetail(PrintStream out, StepResult s) {
    out.println();
    out.printf(
        "measured window of step %d: %.1f msg/s, warm-up %.0f s, measure %.0f s%n",
        s.step, s.rate, s.warmupSeconds, s.measureSeconds);
    out.printf(
        "  latency      p50 %s  p90 %s  p99 %s  p99.9 %s  max %s ms (from the intended send time,"
            + " %d samples)%n",
        f2(s.ms(s.latency, 50)),
        f2(s.ms(s.latency, 90)),
        f2(s.ms(s.latency, 99)),
        f2(s.ms(s.latency, 99.9)),
        f2(s.latency.getMaxValue() / 1000.0),
        s.latency.getTotalCount());
    if (s.acks > 0) {
      out.printf(
          "  ack latency  p50 %s  p99 %s  max %s ms (%d acks)%n",
          f2(s.ms(s.ackLatency, 50)),
          f2(s.ms(s.ackLatency, 99)),
          f2(s.ackLatency.getMaxValue() / 1000.0),
          s.acks);
    }
    out.printf(
        "  sender lag   p50 %s  p99 %s  max %s ms behind schedule%n",
        f2(s.ms(s.senderLag, 50)),
        f2(s.ms(s.senderLag, 99)),
        f2(s.senderLag.getMaxValue() / 1000.0));
    out.printf(
        "  deliveries   expected %d, received %d, lost %d (%.3f %%), %s in %.2f s%n",
        s.expected,
        s.received,
        s.lost(),
        s.lossPct(),
        s.drained ? "drained" : "NOT drained",
        s.drainSeconds);
    Totals t = run.totals;
    if (o.senders <= 20) {
      for (int i = 0; i < o.senders; i++) {
        out.printf(
            "  sender %-4d  sent %d, expected %d, received %d, lost %d; whole run: dup %d, ooo %d%n",
            i,
            s.sentBySender[i],
            s.expectedBySender[i],
            s.receivedBySender[i],
            Math.max(0, s.expectedBySender[i] - s.receivedBySender[i]),
            t.dupBySender.get(i),
            t.oooBySender.get(i));
      }
    } else {
      out.printf(
          "  senders      %d; worst loss %d; whole run: dup %d, ooo %d (per sender in --json)%n",
          o.senders,
          worstLoss(s.expectedBySender, s.receivedBySender),
          Totals.sum(t.dupBySender),
          Totals.sum(t.oooBySender));
    }
    long minRecv = Long.MAX_VALUE;
    long maxRecv = 0;
    int receivers = 0;
    int withLoss = 0;
    for (int i = 0; i < s.expectedByReceiver.length; i++) {
      if (s.expectedByReceiver[i] < 0) {
        continue;
      }
      receivers++;
      minRecv = Math.min(minRecv, s.receivedByReceiver[i]);
      maxRecv = Math.max(maxRecv, s.receivedByReceiver[i]);
      if (s.receivedByReceiver[i] < s.expectedByReceiver[i]) {
        withLoss++;
      }
    }
    out.printf(
        "  receivers    %d reading: received %d..%d each, %d with loss; whole run: %d with"
            + " duplicates, %d with out-of-order%n",
        receivers,
        receivers == 0 ? 0 : minRecv,
        maxRecv,
        withLoss,
        Totals.nonZero(t.dupByReceiver),
        Totals.nonZero(t.oooByReceiver));
    if (o.stall > 0) {
      out.printf(
          "  stalled      %d client(s) stopped reading: closed by the server %s, still open %d;"
              + " they got %d window messages%n",
          o.stall, codes(run.stalledCloseCodes), run.stalledStillOpen, s.receivedByStalled);
    }
    if (s.hasServer()) {
      out.printf(
          "  server       CPU %.2f s in %.1f s (%.1f %% of a core), %s us per delivery;"
              + " RSS %s -> %s (peak %s)%n",
          s.serverCpuSeconds(),
          s.measureSeconds,
          100 * s.serverCpuSeconds() / s.measureSeconds,
          f2(s.serverMicrosPerDelivery()),
          mib(s.serverStart.rssKib()),
          mib(s.serverEnd.rssKib()),
          mib(s.serverRssPeakKib));
    }
    out.printf(
        "  generator    CPU %.2f s in %.1f s (%.1f %% of a core, %d available); GC %d x, %d ms%n",
        s.generatorCpuSeconds,
        s.measureSeconds,
        100 * s.generatorCpuSeconds / s.measureSeconds,
        processors,
        s.generatorGcCount,
        s.generatorGcMillis);
    if (s.otherCpuSeconds() >= 0) {
      out.printf(
          "  machine      other processes took at least %.1f %% of a core (%s); load average %.2f%n",
          100 * s.otherCpuSeconds() / s.measureSeconds,
          s.hasServer() ? "besides server and generator" : "server included: no --server-pid",
          s.loadAverageEnd);
    }
  }

  private void printTotals(PrintStream out) {
    Totals t = run.totals;
    out.println();
    out.println("frames over the whole run");
    out.printf(
        "  received     message %d (not ours %d), join %d, leave %d, history %d, ack %d, error %d,"
            + " other %d, unparsable %d%n",
        t.messages.sum(),
        t.foreignMessages.sum(),
        t.joins.sum(),
        t.leaves.sum(),
        t.history.sum(),
        t.acks.sum(),
        t.errors.sum(),
        t.otherFrames.sum(),
        t.unparsable.sum());
    out.printf(
        "  order        duplicates %d, out-of-order %d; server seq on %d frames: %d missing, %d"
            + " going back%n",
        Totals.sum(t.dupByReceiver),
        Totals.sum(t.oooByReceiver),
        t.framesWithSeq.sum(),
        Totals.sum(t.seqGapsByReceiver),
        Totals.sum(t.seqBackByReceiver));
    if (goTarget()) {
      out.println(
          "  skipped      seq-gap and ack checks: the Go server's frames carry no seq and it sends"
              + " no acks (loss, duplicates and order come from the content header)");
    }
    out.printf(
        "  sockets      closed by the server %s; write queue full %d times; send skipped %d;"
            + " socket errors %d%n",
        codes(run.unexpectedCloseCodes),
        t.writeQueueFull.sum(),
        t.sendSkipped.sum(),
        t.socketExceptions.sum());
    if (!t.errorSamples.isEmpty()) {
      out.println("  error frames e.g. " + t.errorSamples);
    }
  }

  Map<String, Object> toJson() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("preset", o.preset);
    root.put("description", o.description);
    root.put("runId", run.runId);
    root.put("startedAt", startedAt.toString());
    root.put("passed", passed());
    root.put("failures", failures);
    root.put("warnings", warnings);

    Map<String, Object> config = new LinkedHashMap<>();
    config.put("target", goTarget() ? "go" : "huddle");
    config.put("url", o.url.toString());
    config.put("healthUrl", o.healthUrl == null ? null : o.healthUrl.toString());
    config.put("urls", o.urls.stream().map(Object::toString).toList());
    config.put("users", o.users);
    config.put("rooms", o.rooms);
    config.put("clients", o.clients);
    config.put("senders", o.senders);
    config.put("rate", o.rate);
    config.put("size", o.size);
    config.put("warmupSeconds", o.warmup.toMillis() / 1e3);
    config.put("measureSeconds", o.measure.toMillis() / 1e3);
    config.put("drainSeconds", o.drain.toMillis() / 1e3);
    config.put("ramp", o.ramp);
    config.put("rampFactor", o.rampFactor);
    config.put("stepWarmupSeconds", o.stepWarmup.toMillis() / 1e3);
    config.put("stepMeasureSeconds", o.stepMeasure.toMillis() / 1e3);
    config.put("p99LimitMs", o.p99LimitMs);
    config.put("lossLimitPct", o.lossLimitPct);
    config.put("stall", o.stall);
    config.put("connectParallel", o.connectParallel);
    config.put("serverPid", o.serverPid);
    config.put("serverPids", o.serverPids);
    config.put("generatorProcessors", processors);
    config.put("eventLoops", o.eventLoops);
    config.put("javaVersion", System.getProperty("java.version"));
    root.put("config", config);

    Map<String, Object> setup = new LinkedHashMap<>();
    setup.put("signupSeconds", run.signupSeconds);
    setup.put("usersFromCache", run.usersFromCache);
    setup.put("connected", run.connected);
    setup.put("connectSeconds", run.connectSeconds);
    setup.put("handshakeMs", percentiles(run.handshake));
    setup.put("connectFailures", run.connectFailures);
    if (run.serverBeforeConnect != null) {
      setup.put("serverRssKibBeforeConnect", run.serverBeforeConnect.rssKib());
      setup.put("serverRssKibAfterConnect", run.serverAfterConnect.rssKib());
      setup.put(
          "serverCpuSecondsForConnect",
          run.serverAfterConnect.cpuSeconds() - run.serverBeforeConnect.cpuSeconds());
    }
    setup.put("serverHeapKibBeforeConnect", run.serverHeapBeforeConnectKib);
    setup.put("serverHeapKibAfterHold", run.serverHeapAfterHoldKib);
    if (run.serverHeapBeforeConnectKib >= 0
        && run.serverHeapAfterHoldKib >= 0
        && run.connected > 0) {
      setup.put(
          "serverHeapKibPerConnection",
          (double) (run.serverHeapAfterHoldKib - run.serverHeapBeforeConnectKib) / run.connected);
    }
    if (o.senders == 0) {
      setup.put("holdSeconds", run.holdSeconds);
      setup.put("probeRooms", run.probeRooms);
      setup.put("probeReceived", run.probeReceived);
      setup.put("probeMissing", run.probeMissing);
      setup.put("probeSeconds", run.probeSeconds);
      if (run.serverAfterHold != null) {
        setup.put("serverRssKibAfterHold", run.serverAfterHold.rssKib());
        setup.put("serverRssKibPeak", run.serverRssPeakKib);
        setup.put(
            "serverRssKibPerConnection",
            run.connected == 0
                ? 0
                : (double) (run.serverAfterHold.rssKib() - run.serverBeforeConnect.rssKib())
                    / run.connected);
      }
    }
    root.put("setup", setup);

    List<Object> steps = new ArrayList<>();
    for (StepResult s : run.steps) {
      steps.add(step(s));
    }
    root.put("steps", steps);
    if (run.best != null) {
      root.put("bestStep", run.best.step);
    }

    Totals t = run.totals;
    Map<String, Object> frames = new LinkedHashMap<>();
    frames.put("message", t.messages.sum());
    frames.put("foreignMessage", t.foreignMessages.sum());
    frames.put("join", t.joins.sum());
    frames.put("leave", t.leaves.sum());
    frames.put("history", t.history.sum());
    frames.put("ack", t.acks.sum());
    frames.put("error", t.errors.sum());
    frames.put("other", t.otherFrames.sum());
    frames.put("unparsable", t.unparsable.sum());
    frames.put("withSeq", t.framesWithSeq.sum());
    frames.put("errorSamples", new ArrayList<>(t.errorSamples));
    root.put("frames", frames);
    root.put("skippedChecks", goTarget() ? List.of("serverSeq", "ack") : List.<String>of());

    Map<String, Object> order = new LinkedHashMap<>();
    order.put("duplicates", Totals.sum(t.dupByReceiver));
    order.put("outOfOrder", Totals.sum(t.oooByReceiver));
    order.put("duplicatesBySender", array(t.dupBySender));
    order.put("outOfOrderBySender", array(t.oooBySender));
    order.put("receiversWithDuplicates", Totals.nonZero(t.dupByReceiver));
    order.put("receiversWithOutOfOrder", Totals.nonZero(t.oooByReceiver));
    order.put("duplicatesByReceiver", array(t.dupByReceiver));
    order.put("outOfOrderByReceiver", array(t.oooByReceiver));
    order.put("serverSeqMissing", Totals.sum(t.seqGapsByReceiver));
    order.put("serverSeqBackwards", Totals.sum(t.seqBackByReceiver));
    root.put("order", order);

    Map<String, Object> sockets = new LinkedHashMap<>();
    sockets.put("closedByServer", run.unexpectedCloseCodes);
    sockets.put("closedByServerSamples", run.unexpectedCloseSamples);
    sockets.put("stalledCloseCodes", run.stalledCloseCodes);
    sockets.put("stalledStillOpen", run.stalledStillOpen);
    sockets.put("writeQueueFull", t.writeQueueFull.sum());
    sockets.put("sendSkipped", t.sendSkipped.sum());
    sockets.put("socketErrors", t.socketExceptions.sum());
    root.put("sockets", sockets);
    return root;
  }

  private Map<String, Object> step(StepResult s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("step", s.step);
    m.put("rate", s.rate);
    m.put("warmupSeconds", s.warmupSeconds);
    m.put("measureSeconds", s.measureSeconds);
    m.put("passed", s.passed());
    m.put("failures", s.failures);
    m.put("sent", s.sent);
    m.put("expected", s.expected);
    m.put("received", s.received);
    m.put("lost", s.lost());
    m.put("lossPct", s.lossPct());
    m.put("drained", s.drained);
    m.put("drainSeconds", s.drainSeconds);
    m.put("deliveriesPerSecond", s.deliveriesPerSecond());
    m.put("latencyMs", percentiles(s.latency));
    m.put("acks", s.acks);
    m.put("ackLatencyMs", percentiles(s.ackLatency));
    m.put("senderLagMs", percentiles(s.senderLag));
    if (s.hasServer()) {
      m.put("serverCpuSeconds", s.serverCpuSeconds());
      m.put("serverCpuPct", 100 * s.serverCpuSeconds() / s.measureSeconds);
      m.put("serverMicrosPerDelivery", s.serverMicrosPerDelivery());
      m.put("serverRssKibStart", s.serverStart.rssKib());
      m.put("serverRssKibEnd", s.serverEnd.rssKib());
      m.put("serverRssKibPeak", s.serverRssPeakKib);
    }
    m.put("generatorCpuSeconds", s.generatorCpuSeconds);
    m.put("generatorGcCount", s.generatorGcCount);
    m.put("generatorGcMillis", s.generatorGcMillis);
    m.put("otherCpuSeconds", s.otherCpuSeconds());
    m.put("loadAverageEnd", s.loadAverageEnd);
    m.put("generatorCpuPct", 100 * s.generatorCpuSeconds / s.measureSeconds);
    m.put("receivedByStalled", s.receivedByStalled);
    m.put("sentBySender", s.sentBySender);
    m.put("expectedBySender", s.expectedBySender);
    m.put("receivedBySender", s.receivedBySender);
    m.put("expectedByReceiver", s.expectedByReceiver);
    m.put("receivedByReceiver", s.receivedByReceiver);
    return m;
  }

  private static Map<String, Object> percentiles(Histogram h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", h == null ? 0 : h.getTotalCount());
    for (double p : new double[] {50, 90, 99, 99.9}) {
      m.put("p" + (p == Math.rint(p) ? String.valueOf((int) p) : String.valueOf(p)), ms(h, p));
    }
    m.put("max", h == null || h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1000.0);
    return m;
  }

  private static long[] array(java.util.concurrent.atomic.AtomicLongArray a) {
    long[] r = new long[a.length()];
    for (int i = 0; i < r.length; i++) {
      r[i] = a.get(i);
    }
    return r;
  }

  private static long worstLoss(long[] expected, long[] received) {
    long worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, expected[i] - received[i]);
    }
    return worst;
  }

  private static double ms(Histogram h, double p) {
    return h == null || h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(p) / 1000.0;
  }

  private static String codes(Map<Integer, Integer> codes) {
    if (codes.isEmpty()) {
      return "none";
    }
    StringBuilder b = new StringBuilder();
    codes.forEach(
        (code, n) -> b.append(b.length() == 0 ? "" : ", ").append(n).append(" x ").append(code));
    return b.toString();
  }

  private static String f1(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String f2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static String mib(long kib) {
    return kib < 0 ? "-" : String.format(Locale.ROOT, "%.1f MiB", kib / 1024.0);
  }

  private static String kibPer(long kib, int n) {
    return n == 0 ? "-" : String.format(Locale.ROOT, "%.1f KiB", (double) kib / n);
  }
}
