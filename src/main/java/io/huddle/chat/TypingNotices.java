package io.huddle.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.huddle.common.HuddleConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.concurrent.ConcurrentHashMap;

/**
 * "X is typing…": ephemeral, never stored, no seq. A member's {@code {"type":"typing"}} frame,
 * within its socket's typing rate, becomes a {@code typing} notice through the {@link Broker} at
 * most once per {@code huddle.chat.typing-window} per room and user on its node; every node then
 * forwards at most one notice per window per room and user (whichever nodes sent them) to its
 * members of the room, except the typist's own sockets. Like join/leave notices, none in a room
 * with more than {@code huddle.chat.presence-notice-limit} connections on the node. Nothing here
 * blocks: it runs on the sender's event loop, or on the broker's receiving thread.
 */
@ApplicationScoped
class TypingNotices {
  private final Hub hub;
  private final Broker broker;
  private final SocketQuota quota;
  private final ObjectMapper mapper;
  private final ChatMetrics metrics;
  private final long windowMs;
  private final long expiryMs;
  private final int noticeLimit;

  /** Room and user → when this node last published a notice for them (their node's clock). */
  private final Gate published;

  /** Room and user → the {@code sentAt} of the last notice this node forwarded to its members. */
  private final Gate forwarded;

  TypingNotices(
      Hub hub,
      Instance<Broker> brokers,
      SocketQuota quota,
      ObjectMapper mapper,
      HuddleConfig config,
      ChatMetrics metrics) {
    this.hub = hub;
    this.broker = brokers.get();
    this.quota = quota;
    this.mapper = mapper;
    this.metrics = metrics;
    this.windowMs = config.chat().typingWindow().toMillis();
    this.expiryMs = config.chat().typingExpiry().toMillis();
    this.noticeLimit = config.chat().presenceNoticeLimit();
    this.published = new Gate(windowMs);
    this.forwarded = new Gate(windowMs);
  }

  /**
   * A typing frame from a member (it passed the message limits like any text frame). Dropped
   * without an answer beyond the socket's typing rate, in a room too large for notices, or within
   * the window of the last notice for this user in this room.
   */
  void typed(Member member) {
    if (!quota.typing(member.connection) || tooLarge(member.roomId)) {
      return;
    }
    ChatFrame notice =
        ChatFrame.typing(member.roomId, member.userId, member.user.username(), expiryMs);
    if (published.pass(member.roomId, member.userId, notice.sentAt().toEpochMilli())) {
      broker.publish(notice);
    }
  }

  /** A typing notice from the broker (this node's or another's): to the room's other members. */
  void deliver(ChatFrame notice) {
    RoomMembers room = hub.room(notice.roomId());
    if (room == null
        || notice.userId() == null
        || notice.sentAt() == null
        || tooLarge(notice.roomId())
        || !forwarded.pass(notice.roomId(), notice.userId(), notice.sentAt().toEpochMilli())) {
      return;
    }
    // Encoded once for the node, like every room frame; never to the typist's own sockets.
    NettyFrames.Outbound text = NettyFrames.Outbound.of(notice.toJson(mapper));
    Member.Drains drains = new Member.Drains();
    int sent = 0;
    for (Member member : room.snapshot()) {
      if (!member.userId.equals(notice.userId())) {
        member.offer(text, 0, drains);
        sent++;
      }
    }
    drains.schedule();
    metrics.delivered(sent);
  }

  private boolean tooLarge(String roomId) {
    return hub.connections(roomId) > noticeLimit;
  }

  /**
   * At most one pass per window per room and user, by the notices' own timestamps: a node forwards
   * exactly what its own publishing gate let through, and from several nodes the first in each
   * window. Entries older than the window are dropped now and then, so the map holds only the users
   * typing lately.
   */
  static final class Gate {
    private final long windowMs;
    private final ConcurrentHashMap<String, Long> last = new ConcurrentHashMap<>();
    private volatile long purgedAt;

    Gate(long windowMs) {
      this.windowMs = windowMs;
    }

    boolean pass(String roomId, String userId, long at) {
      purgeNowAndThen();
      boolean[] passed = new boolean[1];
      last.compute(
          roomId + '\n' + userId,
          (key, previous) -> {
            passed[0] = previous == null || at - previous >= windowMs;
            return passed[0] ? Long.valueOf(at) : previous;
          });
      return passed[0];
    }

    private void purgeNowAndThen() {
      long now = System.currentTimeMillis();
      long every = Math.max(windowMs, 1_000) * 10;
      if (now - purgedAt > every) {
        purgedAt = now;
        // Kept for two windows: a notice from a node whose clock runs a little behind still meets
        // the entry it would repeat.
        last.values().removeIf(at -> now - at > 2 * windowMs);
      }
    }
  }
}
