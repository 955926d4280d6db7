package io.huddle.cluster;

import io.huddle.chat.RoomDelivery;
import io.huddle.common.HuddleConfig;
import io.huddle.message.MessageStore;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Map;

/** The Redis broker's periodic work; idle unless {@code huddle.broker=redis}. */
@ApplicationScoped
public class ClusterJobs {
  private final boolean enabled;
  private final Instance<RedisBroker> broker;
  private final RoomDelivery delivery;
  private final MessageStore store;

  public ClusterJobs(
      HuddleConfig config,
      Instance<RedisBroker> broker,
      RoomDelivery delivery,
      MessageStore store) {
    this.enabled = "redis".equals(config.broker());
    this.broker = broker;
    this.delivery = delivery;
    this.store = store;
  }

  @Scheduled(
      every = "${huddle.cluster.heartbeat-interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void heartbeat() {
    if (enabled) {
      broker.get().beat();
    }
  }

  /**
   * Pub/sub may lose messages (an outage, a slow subscriber): compare each local room with
   * PostgreSQL and deliver what is missing, in order.
   */
  @Scheduled(
      every = "${huddle.cluster.sweep-interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void sweep() {
    if (!enabled) {
      return;
    }
    Map<String, Long> delivered = delivery.deliveredSeqs();
    if (delivered.isEmpty()) {
      return;
    }
    try {
      store
          .lastSeqs(delivered.keySet())
          .forEach(
              (roomId, stored) -> {
                if (stored > delivered.getOrDefault(roomId, Long.MAX_VALUE)) {
                  delivery.catchUp(roomId, stored);
                }
              });
    } catch (RuntimeException e) {
      Log.warnf("Catch-up sweep failed: %s", e.getMessage());
    }
  }
}
