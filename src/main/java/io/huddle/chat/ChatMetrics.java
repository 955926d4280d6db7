package io.huddle.chat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Huddle's own metrics (Prometheus names in the README). Counters are created once and kept, so the
 * hot path only increments.
 */
@ApplicationScoped
public class ChatMetrics {
  /** Why a client's frame was not delivered. */
  public enum Rejection {
    INVALID_FRAME,
    BINARY_FRAME,
    TOO_LARGE,
    OVERLOADED,
    NOT_STORED,
    RATE_LIMITED,
    MUTED;

    String tag() {
      return name().toLowerCase();
    }
  }

  private final MeterRegistry registry;
  private final Counter received;
  private final Counter delivered;
  private final Counter slowConsumers;
  private final Timer fanOut;
  private final Counter gapFilled;
  private final ConcurrentHashMap<Rejection, Counter> rejected = new ConcurrentHashMap<>();

  public ChatMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.received =
        Counter.builder("huddle.messages.received")
            .description("Chat messages accepted from clients for storage and broadcast")
            .register(registry);
    this.delivered =
        Counter.builder("huddle.messages.delivered")
            .description("Frames queued to connections by broadcasts (one per member per frame)")
            .register(registry);
    this.slowConsumers =
        Counter.builder("huddle.slow.consumer.disconnects")
            .description("Connections closed because they did not read their frames")
            .register(registry);
    this.fanOut =
        Timer.builder("huddle.broadcast.fanout")
            .description("Time to encode a frame and queue it to every local member of its room")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    this.gapFilled =
        Counter.builder("huddle.messages.gap.filled")
            .description("Messages read back from PostgreSQL because pub/sub had not brought them")
            .register(registry);
    for (Rejection reason : Rejection.values()) {
      rejected.put(
          reason,
          Counter.builder("huddle.messages.rejected")
              .description("Client frames refused, by reason")
              .tag("reason", reason.tag())
              .register(registry));
    }
  }

  /** Gauges read live values from their owner. */
  void gauge(String name, String description, Supplier<Number> value) {
    io.micrometer.core.instrument.Gauge.builder(name, value)
        .description(description)
        .register(registry);
  }

  /**
   * Counters whose owner keeps the count. Micrometer holds the owner weakly: pass a bean that lives
   * as long as the application (not a lambda, which would be collected).
   */
  <T> void counter(
      String name, String description, T owner, java.util.function.ToDoubleFunction<T> count) {
    io.micrometer.core.instrument.FunctionCounter.builder(name, owner, count)
        .description(description)
        .register(registry);
  }

  void received() {
    received.increment();
  }

  void delivered(int frames) {
    delivered.increment(frames);
  }

  void gapFilled(int messages) {
    gapFilled.increment(messages);
  }

  void slowConsumer() {
    slowConsumers.increment();
  }

  void rejected(Rejection reason) {
    rejected.get(reason).increment();
  }

  Timer fanOut() {
    return fanOut;
  }
}
