package io.huddle.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Huddle's load generator: signs up users, opens WebSockets to rooms, drives an open-loop message
 * schedule and reports delivery, ordering, latency and the server's CPU and memory.
 */
public final class Bench {
  static final int PASSED = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int SETUP_FAILED = 3;
  static final int OUT_OF_TIME = 4;

  private static final long STARTED = System.nanoTime();

  private Bench() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (Options.UsageException e) {
      System.err.println("huddle-bench: " + e.getMessage());
      System.err.println();
      System.err.print(Options.usage());
      return USAGE;
    }
    if (options.preset.equals("help") || options.preset.equals("list")) {
      System.out.print(Options.usage());
      return PASSED;
    }
    startWatchdog(options.runBudget());
    Instant startedAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    progress(
        "preset %s: %s; at most %d s",
        options.preset, options.description, options.runBudget().toSeconds());
    Run run = new Run(options);
    try {
      run.execute();
    } catch (IOException e) {
      System.err.println("huddle-bench: setup failed: " + e.getMessage());
      return SETUP_FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return SETUP_FAILED;
    }
    try {
      run.writeAcked();
    } catch (IOException e) {
      System.err.println("huddle-bench: cannot write " + options.acked + ": " + e.getMessage());
      return FAILED;
    }
    Report report = new Report(run, startedAt);
    report.print(System.out);
    if (options.json != null) {
      try {
        new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .writeValue(options.json.toFile(), report.toJson());
        progress("JSON report written to %s", options.json);
      } catch (IOException e) {
        System.err.println("huddle-bench: cannot write " + options.json + ": " + e.getMessage());
        return FAILED;
      }
    }
    return report.passed() ? PASSED : FAILED;
  }

  /** Bounded in time whatever happens: the run ends by itself, at the latest after its budget. */
  private static void startWatchdog(Duration budget) {
    Thread t =
        daemon("watchdog")
            .newThread(
                () -> {
                  try {
                    Thread.sleep(budget.toMillis());
                  } catch (InterruptedException e) {
                    return;
                  }
                  System.err.println(
                      "huddle-bench: the run took longer than "
                          + budget.toSeconds()
                          + " s (--max-run): stopping");
                  Runtime.getRuntime().halt(OUT_OF_TIME);
                });
    t.start();
  }

  static void progress(String format, Object... args) {
    System.err.printf(
        "[%6.1f s] %s%n", (System.nanoTime() - STARTED) / 1e9, String.format(format, args));
  }

  static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "bench-" + name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
