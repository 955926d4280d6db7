package io.huddle.chat;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.huddle.common.HuddleConfig;
import io.huddle.limit.KeyedLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one user may use of the chat on this node: open room sockets, and messages per connection
 * and per user (token buckets). A refused message gets an {@code error} frame with {@code
 * retryAfterMs}; a connection that goes on sending regardless is closed with 1008.
 */
@ApplicationScoped
public class SocketQuota {
  /** How a socket over a limit is closed (NettyFrames' ping guard names it here). */
  static final int POLICY_VIOLATION = SocketClose.POLICY_VIOLATION;

  private static final TypedKey<Quota> QUOTA = new TypedKey<>("huddle.quota");

  /** One connection's state; touched only on that connection's event loop. */
  private static final class Quota {
    final String userId;
    final String address;
    final Bucket bucket;
    final Bucket pings;
    final Bucket typing;
    int refusedInRow;
    boolean closing;
    volatile boolean pingsGuarded;

    Quota(String userId, String address, Bucket bucket, Bucket pings, Bucket typing) {
      this.userId = userId;
      this.address = address;
      this.bucket = bucket;
      this.pings = pings;
      this.typing = typing;
    }
  }

  /** What to do with a message frame. */
  sealed interface Verdict {
    Verdict ALLOW = new Allow();

    record Allow() implements Verdict {}

    /** Refuse it; the client may send again after this long. */
    record Refuse(long retryAfterMs) implements Verdict {}

    /** The client ignored too many refusals: close the connection. */
    record Close() implements Verdict {}

    /** Closing already: drop the frame without an answer. */
    record Drop() implements Verdict {}
  }

  private final int socketsPerUser;
  private final int closeAfterRefused;
  private final KeyedLimiter perConnection;
  private final KeyedLimiter perUser;
  private final KeyedLimiter pings;
  private final KeyedLimiter typing;
  private final Counter socketsRefused;
  private final int socketsPerAddress;
  private final Counter socketsRefusedPerAddress;
  private final ConcurrentHashMap<String, Integer> socketsByUser = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Integer> socketsByAddress = new ConcurrentHashMap<>();

  public SocketQuota(HuddleConfig config, MeterRegistry registry) {
    HuddleConfig.Limits limits = config.limits();
    socketsPerUser = limits.socketsPerUser();
    socketsPerAddress = limits.socketsPerAddress();
    closeAfterRefused = limits.closeAfterRefused();
    perConnection =
        new KeyedLimiter("messages-per-connection", limits.messagesPerConnection(), registry);
    perUser = new KeyedLimiter("messages-per-user", limits.messagesPerUser(), registry);
    pings = new KeyedLimiter("pings-per-connection", limits.pingsPerConnection(), registry);
    typing = new KeyedLimiter("typing-per-connection", limits.typingPerConnection(), registry);
    socketsRefused = KeyedLimiter.refusedCounter("sockets-per-user", registry);
    socketsRefusedPerAddress = KeyedLimiter.refusedCounter("sockets-per-address", registry);
  }

  /** At the upgrade, before the token is checked: whether the address is below its socket cap. */
  public boolean mayOpenFrom(String address) {
    if (socketsByAddress.getOrDefault(address, 0) < socketsPerAddress) {
      return true;
    }
    socketsRefusedPerAddress.increment();
    return false;
  }

  /** At the upgrade: whether the user is below the cap of open sockets (counted as refused). */
  public boolean mayOpen(String userId) {
    if (openSockets(userId) < socketsPerUser) {
      return true;
    }
    socketsRefused.increment();
    return false;
  }

  /**
   * A socket opened: counts it against its user and its client address.
   *
   * @return false when the user or the address already has the most sockets allowed (close this
   *     one)
   */
  public boolean opened(WebSocketConnection connection, String userId, String address) {
    if (!take(socketsByUser, userId, socketsPerUser)) {
      socketsRefused.increment();
      return false;
    }
    if (!take(socketsByAddress, address, socketsPerAddress)) {
      release(socketsByUser, userId);
      socketsRefusedPerAddress.increment();
      return false;
    }
    Bucket bucket = perConnection.rate().enabled() ? perConnection.newBucket() : null;
    Bucket pingBucket = pings.rate().enabled() ? pings.newBucket() : null;
    Bucket typingBucket = typing.rate().enabled() ? typing.newBucket() : null;
    connection.userData().put(QUOTA, new Quota(userId, address, bucket, pingBucket, typingBucket));
    return true;
  }

  /**
   * A socket counted by {@link #opened} closed: uncounts it. Called once per socket, by {@link
   * OpenSockets} (also for sockets closed without @OnClose).
   */
  void closed(WebSocketConnection connection) {
    Quota quota = connection.userData().get(QUOTA);
    if (quota != null) {
      release(socketsByUser, quota.userId);
      release(socketsByAddress, quota.address);
    }
  }

  /** Counts one more socket against {@code key} unless it already has {@code cap}. */
  private static boolean take(ConcurrentHashMap<String, Integer> open, String key, int cap) {
    boolean[] below = new boolean[1];
    open.compute(
        key,
        (k, n) -> {
          int count = n == null ? 0 : n;
          below[0] = count < cap;
          return below[0] ? count + 1 : n;
        });
    return below[0];
  }

  /** Sockets a user has open on this node. */
  public int openSockets(String userId) {
    return socketsByUser.getOrDefault(userId, 0);
  }

  /** Takes a token for a message from this connection. Call on the connection's event loop. */
  Verdict message(WebSocketConnection connection) {
    Quota quota = connection.userData().get(QUOTA);
    if (quota == null) {
      return Verdict.ALLOW;
    }
    if (quota.closing) {
      // Condemned: whatever it sent before the close took hold is dropped, even within the rate.
      return new Verdict.Drop();
    }
    long waitNanos = 0;
    if (quota.bucket != null) {
      ConsumptionProbe probe = quota.bucket.tryConsumeAndReturnRemaining(1);
      if (!probe.isConsumed()) {
        perConnection.countRefused();
        waitNanos = probe.getNanosToWaitForRefill();
      }
    }
    if (waitNanos == 0) {
      waitNanos = perUser.take(quota.userId);
    }
    if (waitNanos == 0) {
      quota.refusedInRow = 0;
      return Verdict.ALLOW;
    }
    if (++quota.refusedInRow > closeAfterRefused) {
      quota.closing = true;
      return new Verdict.Close();
    }
    return new Verdict.Refuse(Math.max(1, (waitNanos + 999_999) / 1_000_000));
  }

  /**
   * An edit or delete over REST: takes a token from the user's message bucket, the one its sockets'
   * messages take from too. Answers how long to wait (nanoseconds), 0 when allowed.
   */
  long restMessage(long userId) {
    return perUser.take(Long.toString(userId));
  }

  /**
   * A typing frame from this connection (it already passed {@link #message}): whether it is within
   * {@code huddle.limits.typing-per-connection}. One beyond is dropped without an answer, only
   * counted. Call on the connection's event loop.
   */
  boolean typing(WebSocketConnection connection) {
    Quota quota = connection.userData().get(QUOTA);
    if (quota == null || quota.typing == null || quota.typing.tryConsume(1)) {
      return true;
    }
    typing.countRefused();
    return false;
  }

  /**
   * A ping from this connection: whether it is the one over the limit, so close the connection now.
   * True once only: the pings that follow while it closes are dropped without another close (each
   * close of a closing connection logged a WARN: millions under a ping flood). Call on the
   * connection's event loop.
   */
  boolean pingCloses(WebSocketConnection connection) {
    Quota quota = connection.userData().get(QUOTA);
    if (quota == null || quota.pings == null || quota.closing || quota.pings.tryConsume(1)) {
      return false;
    }
    quota.closing = true;
    pings.countRefused();
    return true;
  }

  /** Records whether the connection's pings are counted in its Netty pipeline. */
  void pingsGuarded(WebSocketConnection connection, boolean guarded) {
    Quota quota = connection.userData().get(QUOTA);
    if (quota != null) {
      quota.pingsGuarded = guarded;
    }
  }

  /** Whether the connection's pings are counted in its Netty pipeline (not by @OnPingMessage). */
  boolean pingsGuarded(WebSocketConnection connection) {
    Quota quota = connection.userData().get(QUOTA);
    return quota != null && quota.pingsGuarded;
  }

  private static void release(ConcurrentHashMap<String, Integer> open, String key) {
    open.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
  }
}
