package io.huddle.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Collects what the server logs while it is open (the tests run in the server's JVM), so a test can
 * assert that a client's mistake does not flood the log with stack traces.
 */
public final class LogCapture implements AutoCloseable {
  private final List<LogRecord> records = new ArrayList<>();
  private final Logger root = Logger.getLogger("");
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          synchronized (records) {
            records.add(record);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private LogCapture() {
    handler.setLevel(Level.ALL);
    root.addHandler(handler);
  }

  public static LogCapture start() {
    return new LogCapture();
  }

  /** Records at WARN or above so far. */
  public List<LogRecord> warnings() {
    synchronized (records) {
      return records.stream()
          .filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
          .toList();
    }
  }

  /** No stack trace at any level and at most {@code maxWarnings} records at WARN or above. */
  public void assertQuiet(int maxWarnings) {
    List<LogRecord> all;
    synchronized (records) {
      all = List.copyOf(records);
    }
    List<LogRecord> withTrace = all.stream().filter(r -> r.getThrown() != null).toList();
    assertTrue(withTrace.isEmpty(), "stack traces logged: " + describe(withTrace));
    List<LogRecord> warnings = warnings();
    assertTrue(
        warnings.size() <= maxWarnings,
        warnings.size() + " warnings (at most " + maxWarnings + "): " + describe(warnings));
  }

  private static String describe(List<LogRecord> records) {
    return records.stream()
        .map(r -> r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage())
        .collect(Collectors.joining(" | "));
  }

  @Override
  public void close() {
    root.removeHandler(handler);
  }
}
