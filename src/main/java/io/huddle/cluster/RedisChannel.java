package io.huddle.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.huddle.chat.ChatFrame;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands.RedisSubscriber;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The broker's pub/sub channel: every node publishes what it commits, once, in batches from an
 * outbox, and delivers what the others publish to its local receiver (its own frames it delivers
 * directly, so local members keep working while Redis is down). Pub/sub is at-most-once: after an
 * outage the next heartbeat subscribes again, and the Hub fills what was lost from PostgreSQL.
 */
final class RedisChannel {

  /** What travels on the channel: the publishing node and a batch of frames, in order. */
  @RegisterForReflection
  /**
   * One published batch. {@code n} numbers the batches of one node (from 1, per start): a receiver
   * drops a batch it has seen already. A SUBSCRIBE whose reply was lost after a Redis restart times
   * out on our side while Redis holds the subscription, and the next heartbeat subscribes again:
   * two live subscriptions, every batch twice (seen in ClusterIT). Seq-ordered frames were
   * deduplicated by their seq anyway; typing, read and moderation frames were shown twice. A batch
   * without {@code n} (0: a node of an earlier version) is never dropped.
   */
  public record Envelope(String node, long n, List<ChatFrame> frames) {}

  /** The highest batch number received per sending node; only the inbound thread touches it. */
  private final Map<String, Long> lastBatch = new HashMap<>();

  private long published;

  private final RedisDataSource redis;
  private final ObjectMapper mapper;
  private final RedisHealth health;
  private final String nodeId;
  private final String channel;
  private final Counter publishFailures;
  private final LinkedBlockingQueue<ChatFrame> outbox = new LinkedBlockingQueue<>(100_000);
  private final ExecutorService inbound = RedisHealth.singleThread("huddle-redis-in");
  private final ExecutorService outbound = RedisHealth.singleThread("huddle-redis-out");

  /**
   * Re-subscriptions run here, not on the heartbeat's thread: the Redis client can lose the reply
   * to a SUBSCRIBE sent right after Redis restarts, and the call then waits for the command
   * timeout; a heartbeat held up that long made the other nodes reap this live node (seen in
   * ClusterIT).
   */
  private final ExecutorService resubscriber = RedisHealth.singleThread("huddle-redis-sub");

  private final AtomicBoolean resubscribing = new AtomicBoolean();
  private volatile Consumer<ChatFrame> receiver = frame -> {};
  private volatile RedisSubscriber subscription;

  RedisChannel(
      RedisDataSource redis,
      ObjectMapper mapper,
      RedisHealth health,
      String nodeId,
      String channel,
      MeterRegistry registry) {
    this.redis = redis;
    this.mapper = mapper;
    this.health = health;
    this.nodeId = nodeId;
    this.channel = channel;
    this.publishFailures =
        Counter.builder("huddle.cluster.publish.failures")
            .description("Frames not published to Redis (other nodes catch up from PostgreSQL)")
            .register(registry);
  }

  String name() {
    return channel;
  }

  void startPublishing() {
    outbound.execute(this::publishLoop);
  }

  /** To the local receiver at once, and queued for the other nodes. */
  void publish(ChatFrame frame) {
    receiver.accept(frame);
    if (!outbox.offer(frame)) {
      publishFailures.increment();
    }
  }

  void receiver(Consumer<ChatFrame> receiver) {
    this.receiver = Objects.requireNonNull(receiver);
  }

  /** Subscribes again, off the caller's thread, unless a re-subscription is already running. */
  void resubscribeInBackground() {
    if (resubscribing.compareAndSet(false, true)) {
      resubscriber.execute(this::resubscribe);
    }
  }

  private void resubscribe() {
    try {
      subscribe();
      health.up();
      Log.info("Redis is back: presence restored, cross-node delivery resumed");
    } catch (RuntimeException e) {
      health.countError();
      Log.warnf("Re-subscribing to Redis failed (%s); trying again at the next heartbeat", e);
    } finally {
      resubscribing.set(false);
    }
  }

  void subscribe() {
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
    if (health.running() && health.healthy()) {
      Log.errorf(
          "Redis subscription %s; re-subscribing when Redis answers",
          failure == null ? "ended" : "failed: " + failure);
      health.countError();
      health.down();
    }
  }

  private void receive(String message) {
    try {
      Envelope envelope = mapper.readValue(message, Envelope.class);
      if (nodeId.equals(envelope.node()) || !firstTime(envelope)) {
        return;
      }
      for (ChatFrame frame : envelope.frames()) {
        receiver.accept(frame);
      }
    } catch (JsonProcessingException | RuntimeException e) {
      Log.warnf("Dropped an unreadable cluster message: %s", e.getMessage());
    }
  }

  /** Whether this batch was not received before (see {@link Envelope}). */
  private boolean firstTime(Envelope envelope) {
    if (envelope.n() <= 0 || envelope.node() == null) {
      return true;
    }
    Long last = lastBatch.get(envelope.node());
    if (last != null && envelope.n() <= last) {
      return false;
    }
    if (last == null && lastBatch.size() >= MAX_NODES_REMEMBERED) {
      // One entry per node start: a long-lived node forgets the nodes of old deploys.
      lastBatch.clear();
    }
    lastBatch.put(envelope.node(), envelope.n());
    return true;
  }

  private static final int MAX_NODES_REMEMBERED = 4096;

  /** Sends what queued up as one message per batch, in order, off the writer thread. */
  private void publishLoop() {
    List<ChatFrame> batch = new ArrayList<>();
    while (health.running() || !outbox.isEmpty()) {
      try {
        ChatFrame first = outbox.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        outbox.drainTo(batch, 511);
        if (!health.healthy()) {
          publishFailures.increment(batch.size());
          continue;
        }
        redis
            .pubsub(String.class)
            .publish(channel, mapper.writeValueAsString(new Envelope(nodeId, ++published, batch)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (JsonProcessingException | RuntimeException e) {
        publishFailures.increment(batch.size());
        health.failed("publish", e);
      } finally {
        batch.clear();
      }
    }
  }
}
