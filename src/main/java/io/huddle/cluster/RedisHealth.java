package io.huddle.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Whether this node's link to Redis works, shared by the broker's channel and presence: one flag
 * that any failed operation clears and that a successful (re-)subscription sets again, and the
 * error counter they all report to.
 */
final class RedisHealth {
  private final Counter redisErrors;
  private volatile boolean healthy;
  private volatile boolean running = true;

  RedisHealth(MeterRegistry registry) {
    this.redisErrors =
        Counter.builder("huddle.cluster.redis.errors")
            .description("Failed Redis operations (presence, heartbeat, publish)")
            .register(registry);
  }

  /** Redis answers and the channel subscription is live. */
  boolean healthy() {
    return healthy;
  }

  void up() {
    healthy = true;
  }

  /** Marks the link down without logging (the caller logged why). */
  void down() {
    healthy = false;
  }

  /** False once the node shuts down: loops end, lost subscriptions are not reported. */
  boolean running() {
    return running;
  }

  void stop() {
    running = false;
  }

  void countError() {
    redisErrors.increment();
  }

  /** A Redis operation failed: counted, logged when the link was up, and the link marked down. */
  void failed(String what, Exception e) {
    redisErrors.increment();
    if (healthy) {
      Log.errorf("Redis %s failed (%s): serving local members only until it returns", what, e);
    }
    healthy = false;
  }

  static ExecutorService singleThread(String name) {
    return Executors.newSingleThreadExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }
}
