package io.huddle.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.huddle.chat.Broker;
import io.huddle.chat.ChatFrame;
import io.huddle.common.HuddleConfig;
import io.huddle.room.RoomRecords.ClientResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands.RedisSubscriber;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.mutiny.redis.client.Response;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Several replicas as one chat service, through Redis (the engine Socket.IO, Centrifugo and Action
 * Cable use for the same job):
 *
 * <ul>
 *   <li>every node publishes what it commits, once, on one channel; every node delivers what the
 *       others publish to its local members (its own frames it delivers directly, so local members
 *       keep working while Redis is down);
 *   <li>pub/sub is at-most-once, so it is only the fast path: the Hub drops seqs it has delivered
 *       and fills jumps from PostgreSQL, and a periodic sweep delivers what never came;
 *   <li>presence is a hash per room of {@code node|user → username}; Lua scripts decide atomically
 *       whether a user's join or leave is the first or last anywhere; nodes heartbeat into a sorted
 *       set, and a node silent for {@code huddle.cluster.node-expiry} is reaped by the others,
 *       which send the leave notices it could not.
 * </ul>
 */
@ApplicationScoped
@LookupIfProperty(name = "huddle.broker", stringValue = "redis")
public class RedisBroker implements Broker {

  /** What travels on the channel: the publishing node and a batch of frames, in order. */
  @RegisterForReflection
  public record Envelope(String node, List<ChatFrame> frames) {}

  private static final String JOIN =
      """
      redis.call('HSET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], ARGV[3])
      redis.call('SADD', KEYS[3], ARGV[5])
      for _, f in ipairs(redis.call('HKEYS', KEYS[1])) do
        local sep = string.find(f, '|', 1, true)
        local node = string.sub(f, 1, sep - 1)
        if node ~= ARGV[1] and string.sub(f, sep + 1) == ARGV[2] then
          local seen = redis.call('ZSCORE', KEYS[2], node)
          if seen and tonumber(seen) >= tonumber(ARGV[4]) then return 0 end
        end
      end
      return 1
      """;

  private static final String LEAVE =
      """
      redis.call('HDEL', KEYS[1], ARGV[1] .. '|' .. ARGV[2])
      for _, f in ipairs(redis.call('HKEYS', KEYS[1])) do
        local sep = string.find(f, '|', 1, true)
        if string.sub(f, sep + 1) == ARGV[2] then
          local seen = redis.call('ZSCORE', KEYS[2], string.sub(f, 1, sep - 1))
          if seen and tonumber(seen) >= tonumber(ARGV[3]) then return 0 end
        end
      end
      return 1
      """;

  private final RedisDataSource redis;
  private final ObjectMapper mapper;
  private final HuddleConfig.Cluster config;
  private final String nodeId = UUID.randomUUID().toString();
  private final String channel;
  private final String nodesKey;
  private final Counter publishFailures;
  private final Counter redisErrors;
  private final LinkedBlockingQueue<ChatFrame> outbox = new LinkedBlockingQueue<>(100_000);
  private final ExecutorService inbound = singleThread("huddle-redis-in");
  private final ExecutorService outbound = singleThread("huddle-redis-out");

  /**
   * Re-subscriptions run here, not on the heartbeat's thread: the Redis client can lose the reply
   * to a SUBSCRIBE sent right after Redis restarts, and the call then waits for the command
   * timeout; a heartbeat held up that long made the other nodes reap this live node (seen in
   * ClusterIT).
   */
  private final ExecutorService resubscriber = singleThread("huddle-redis-sub");

  private final AtomicBoolean resubscribing = new AtomicBoolean();

  /** This node's presence entries (room → user → username), to restore after Redis returns. */
  private final Map<String, Map<String, String>> localPresence = new ConcurrentHashMap<>();

  private volatile Consumer<ChatFrame> receiver = frame -> {};
  private volatile RedisSubscriber subscription;
  private volatile boolean healthy;
  private volatile boolean running = true;

  public RedisBroker(
      RedisDataSource redis, ObjectMapper mapper, HuddleConfig config, MeterRegistry registry) {
    this.redis = redis;
    this.mapper = mapper;
    this.config = config.cluster();
    this.channel = this.config.keyPrefix() + ":events";
    this.nodesKey = this.config.keyPrefix() + ":nodes";
    this.publishFailures =
        Counter.builder("huddle.cluster.publish.failures")
            .description("Frames not published to Redis (other nodes catch up from PostgreSQL)")
            .register(registry);
    this.redisErrors =
        Counter.builder("huddle.cluster.redis.errors")
            .description("Failed Redis operations (presence, heartbeat, publish)")
            .register(registry);
  }

  @PostConstruct
  void start() {
    outbound.execute(this::publishLoop);
    try {
      heartbeat();
      subscribe();
      healthy = true;
      Log.infof("Redis broker up: node %s, channel %s", nodeId, channel);
    } catch (RuntimeException e) {
      redisErrors.increment();
      Log.errorf("Redis unavailable at start (%s); serving local members only until it returns", e);
    }
  }

  /** IF_EXISTS: a single-node server (huddle.broker=memory) must not connect to Redis to stop. */
  void stop(@Observes(notifyObserver = Reception.IF_EXISTS) ShutdownEvent event) {
    running = false;
    try {
      redis.sortedSet(String.class).zrem(nodesKey, nodeId);
    } catch (RuntimeException e) {
      // the others will reap this node
    }
  }

  @Override
  public void publish(ChatFrame frame) {
    receiver.accept(frame);
    if (!outbox.offer(frame)) {
      publishFailures.increment();
    }
  }

  @Override
  public void subscribe(Consumer<ChatFrame> receiver) {
    this.receiver = Objects.requireNonNull(receiver);
  }

  @Override
  public boolean replicated() {
    return true;
  }

  /** Redis answers and the channel subscription is live. */
  public boolean healthy() {
    return healthy;
  }

  public String nodeId() {
    return nodeId;
  }

  @Override
  public boolean userJoined(String roomId, String userId, String username) {
    localPresence.computeIfAbsent(roomId, r -> new ConcurrentHashMap<>()).put(userId, username);
    try {
      return register(roomId, userId, username);
    } catch (RuntimeException e) {
      failed("presence join", e);
      return true;
    }
  }

  @Override
  public boolean userLeft(String roomId, String userId) {
    Map<String, String> users = localPresence.get(roomId);
    if (users != null) {
      users.remove(userId);
    }
    try {
      return eval(
              LEAVE,
              List.of(presenceKey(roomId), nodesKey),
              nodeId,
              userId,
              String.valueOf(aliveSince()))
          == 1;
    } catch (RuntimeException e) {
      failed("presence leave", e);
      return true;
    }
  }

  @Override
  public List<ClientResponse> clients(String roomId, List<ClientResponse> local) {
    try {
      Set<String> alive =
          new HashSet<>(
              redis
                  .sortedSet(String.class)
                  .zrangebyscore(
                      nodesKey,
                      new io.quarkus.redis.datasource.sortedset.ScoreRange<>(
                          (double) aliveSince(), Double.POSITIVE_INFINITY)));
      Map<String, String> entries = redis.hash(String.class).hgetall(presenceKey(roomId));
      Map<String, String> users = new LinkedHashMap<>();
      local.forEach(c -> users.put(c.id(), c.username()));
      entries.forEach(
          (field, username) -> {
            int sep = field.indexOf('|');
            if (alive.contains(field.substring(0, sep))) {
              users.putIfAbsent(field.substring(sep + 1), username);
            }
          });
      List<ClientResponse> all = new ArrayList<>();
      users.forEach((id, name) -> all.add(new ClientResponse(id, name)));
      return all;
    } catch (RuntimeException e) {
      failed("presence list", e);
      return local;
    }
  }

  /**
   * Renews this node's heartbeat, restores its presence if it had been reaped or Redis lost it,
   * re-subscribes after an outage, and reaps nodes that stopped beating.
   */
  void heartbeat() {
    boolean wasHealthy = healthy;
    long now = System.currentTimeMillis();
    // True when this node was not in the set: its first beat, or it had been reaped.
    boolean wasAbsent = redis.sortedSet(String.class).zadd(nodesKey, now, nodeId);
    if (wasAbsent || !wasHealthy) {
      restorePresence();
    }
    reapDeadNodes();
  }

  void beat() {
    if (!running) {
      return;
    }
    try {
      heartbeat();
      if (!healthy && resubscribing.compareAndSet(false, true)) {
        resubscriber.execute(this::resubscribe);
      }
    } catch (RuntimeException e) {
      if (healthy) {
        Log.errorf("Redis unavailable (%s): serving local members only until it returns", e);
      }
      healthy = false;
      redisErrors.increment();
    }
  }

  private void resubscribe() {
    try {
      subscribe();
      healthy = true;
      Log.info("Redis is back: presence restored, cross-node delivery resumed");
    } catch (RuntimeException e) {
      redisErrors.increment();
      Log.warnf("Re-subscribing to Redis failed (%s); trying again at the next heartbeat", e);
    } finally {
      resubscribing.set(false);
    }
  }

  private void restorePresence() {
    localPresence.forEach(
        (roomId, users) -> users.forEach((userId, username) -> register(roomId, userId, username)));
  }

  /** Adds this node's entry for the user; true when no live node had the user in the room. */
  private boolean register(String roomId, String userId, String username) {
    return eval(
            JOIN,
            List.of(presenceKey(roomId), nodesKey, roomsKey(nodeId)),
            nodeId,
            userId,
            username,
            String.valueOf(aliveSince()),
            roomId)
        == 1;
  }

  /** Removes nodes silent past the expiry; the node that wins the removal sends their leaves. */
  private void reapDeadNodes() {
    var nodes = redis.sortedSet(String.class);
    List<String> dead =
        nodes.zrangebyscore(
            nodesKey,
            new io.quarkus.redis.datasource.sortedset.ScoreRange<>(
                Double.NEGATIVE_INFINITY, (double) aliveSince() - 1));
    for (String node : dead) {
      if (node.equals(nodeId) || nodes.zrem(nodesKey, node) != 1) {
        continue;
      }
      Log.warnf("Node %s stopped beating; removing its connections from presence", node);
      String roomsKey = roomsKey(node);
      for (String roomId : redis.set(String.class).smembers(roomsKey)) {
        Map<String, String> entries = redis.hash(String.class).hgetall(presenceKey(roomId));
        entries.forEach(
            (field, username) -> {
              int sep = field.indexOf('|');
              if (!field.substring(0, sep).equals(node)) {
                return;
              }
              String userId = field.substring(sep + 1);
              if (eval(
                      LEAVE,
                      List.of(presenceKey(roomId), nodesKey),
                      node,
                      userId,
                      String.valueOf(aliveSince()))
                  == 1) {
                Map<String, String> here = localPresence.get(roomId);
                if (here == null || !here.containsKey(userId)) {
                  publish(ChatFrame.leave(roomId, userId, username));
                }
              }
            });
      }
      redis.key().del(roomsKey);
    }
  }

  private void subscribe() {
    RedisSubscriber old = subscription;
    if (old != null) {
      try {
        old.unsubscribe();
      } catch (RuntimeException ignored) {
        // the connection is gone anyway
      }
    }
    subscription =
        redis
            .pubsub(String.class)
            .subscribe(
                channel,
                message -> inbound.execute(() -> receive(message)),
                () -> lostSubscription(null),
                this::lostSubscription);
  }

  /** The subscription ended or failed: the next heartbeat that reaches Redis subscribes again. */
  private void lostSubscription(Throwable failure) {
    if (running && healthy) {
      Log.errorf(
          "Redis subscription %s; re-subscribing when Redis answers",
          failure == null ? "ended" : "failed: " + failure);
      redisErrors.increment();
      healthy = false;
    }
  }

  private void receive(String message) {
    try {
      Envelope envelope = mapper.readValue(message, Envelope.class);
      if (nodeId.equals(envelope.node())) {
        return;
      }
      for (ChatFrame frame : envelope.frames()) {
        receiver.accept(frame);
      }
    } catch (JsonProcessingException | RuntimeException e) {
      Log.warnf("Dropped an unreadable cluster message: %s", e.getMessage());
    }
  }

  /** Sends what queued up as one message per batch, in order, off the writer thread. */
  private void publishLoop() {
    List<ChatFrame> batch = new ArrayList<>();
    while (running || !outbox.isEmpty()) {
      try {
        ChatFrame first = outbox.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        outbox.drainTo(batch, 511);
        if (!healthy) {
          publishFailures.increment(batch.size());
          continue;
        }
        redis
            .pubsub(String.class)
            .publish(channel, mapper.writeValueAsString(new Envelope(nodeId, batch)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (JsonProcessingException | RuntimeException e) {
        publishFailures.increment(batch.size());
        failed("publish", e);
      } finally {
        batch.clear();
      }
    }
  }

  private long eval(String script, List<String> keys, String... args) {
    String[] command = new String[2 + keys.size() + args.length];
    command[0] = script;
    command[1] = String.valueOf(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      command[2 + i] = keys.get(i);
    }
    System.arraycopy(args, 0, command, 2 + keys.size(), args.length);
    Response response = redis.execute("EVAL", command);
    return response.toLong();
  }

  private void failed(String what, Exception e) {
    redisErrors.increment();
    if (healthy) {
      Log.errorf("Redis %s failed (%s): serving local members only until it returns", what, e);
    }
    healthy = false;
  }

  private long aliveSince() {
    return System.currentTimeMillis() - config.nodeExpiry().toMillis();
  }

  private String presenceKey(String roomId) {
    return config.keyPrefix() + ":presence:" + roomId;
  }

  private String roomsKey(String node) {
    return config.keyPrefix() + ":node-rooms:" + node;
  }

  private static ExecutorService singleThread(String name) {
    return Executors.newSingleThreadExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }
}
