package io.huddle.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts by key (an HTTP status, a close code, an exception), safe from any thread. */
final class Tally {
  private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

  void add(String key) {
    counts.computeIfAbsent(key, k -> new LongAdder()).increment();
  }

  long get(String key) {
    LongAdder a = counts.get(key);
    return a == null ? 0 : a.sum();
  }

  long total() {
    return counts.values().stream().mapToLong(LongAdder::sum).sum();
  }

  Map<String, Long> snapshot() {
    Map<String, Long> m = new TreeMap<>();
    counts.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  @Override
  public String toString() {
    return snapshot().toString();
  }

  /** A short, stable key for a failure: the exception's class and first line, digits as N. */
  static String reason(Throwable t) {
    if (t instanceof io.vertx.core.http.UpgradeRejectedException u) {
      return "HTTP " + u.getStatus();
    }
    String m = t.getMessage();
    String first = m == null ? "" : ": " + m.split("\n")[0];
    if (first.length() > 80) {
      first = first.substring(0, 80);
    }
    return t.getClass().getSimpleName() + first.replaceAll("[0-9]+", "N");
  }
}
