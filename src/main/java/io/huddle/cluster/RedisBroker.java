package io.huddle.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.huddle.chat.Broker;
import io.huddle.chat.ChatFrame;
import io.huddle.common.HuddleConfig;
import io.huddle.room.RoomRecords.ClientResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Several replicas as one chat service, through Redis (the engine Socket.IO, Centrifugo and Action
 * Cable use for the same job). Two parts behind the {@link Broker} interface:
 *
 * <ul>
 *   <li>{@link RedisChannel}: events between nodes over one pub/sub channel. Pub/sub is
 *       at-most-once, so it is only the fast path: the Hub drops seqs it has delivered and fills
 *       jumps from PostgreSQL, and a periodic sweep delivers what never came;
 *   <li>{@link RedisPresence}: who is in which room on which live node, heartbeats, and the reaping
 *       of nodes that stopped beating.
 * </ul>
 *
 * This class starts and stops them and runs the heartbeat ({@link ClusterJobs}), which also
 * re-subscribes the channel after an outage.
 */
@ApplicationScoped
@LookupIfProperty(name = "huddle.broker", stringValue = "redis")
public class RedisBroker implements Broker {
  private final String nodeId = UUID.randomUUID().toString();
  private final RedisHealth health;
  private final RedisChannel channel;
  private final RedisPresence presence;

  public RedisBroker(
      RedisDataSource redis, ObjectMapper mapper, HuddleConfig config, MeterRegistry registry) {
    HuddleConfig.Cluster cluster = config.cluster();
    this.health = new RedisHealth(registry);
    this.channel =
        new RedisChannel(redis, mapper, health, nodeId, cluster.keyPrefix() + ":events", registry);
    this.presence = new RedisPresence(redis, cluster, health, nodeId, channel::publish);
  }

  @PostConstruct
  void start() {
    channel.startPublishing();
    try {
      presence.heartbeat();
      channel.subscribe();
      health.up();
      Log.infof("Redis broker up: node %s, channel %s", nodeId, channel.name());
    } catch (RuntimeException e) {
      health.countError();
      Log.errorf("Redis unavailable at start (%s); serving local members only until it returns", e);
    }
  }

  /** IF_EXISTS: a single-node server (huddle.broker=memory) must not connect to Redis to stop. */
  void stop(@Observes(notifyObserver = Reception.IF_EXISTS) ShutdownEvent event) {
    health.stop();
    presence.leaveCluster();
  }

  @Override
  public void publish(ChatFrame frame) {
    channel.publish(frame);
  }

  @Override
  public void subscribe(Consumer<ChatFrame> receiver) {
    channel.receiver(receiver);
  }

  @Override
  public boolean replicated() {
    return true;
  }

  /** Redis answers and the channel subscription is live. */
  public boolean healthy() {
    return health.healthy();
  }

  public String nodeId() {
    return nodeId;
  }

  @Override
  public boolean userJoined(String roomId, String userId, String username) {
    return presence.userJoined(roomId, userId, username);
  }

  @Override
  public boolean userLeft(String roomId, String userId) {
    return presence.userLeft(roomId, userId);
  }

  @Override
  public List<ClientResponse> clients(String roomId, List<ClientResponse> local) {
    return presence.clients(roomId, local);
  }

  /** The heartbeat (see {@link RedisPresence#heartbeat}); re-subscribes after an outage. */
  void beat() {
    if (!health.running()) {
      return;
    }
    try {
      presence.heartbeat();
      if (!health.healthy()) {
        channel.resubscribeInBackground();
      }
    } catch (RuntimeException e) {
      if (health.healthy()) {
        Log.errorf("Redis unavailable (%s): serving local members only until it returns", e);
      }
      health.down();
      health.countError();
    }
  }
}
