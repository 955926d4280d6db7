package io.huddle.chat;

import io.huddle.room.MemberRemoved;
import io.huddle.room.MembershipService;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.enterprise.inject.Instance;
import java.util.HashSet;
import java.util.Set;

/**
 * Closes a removed member's sockets in that room, on every node (also those of a member who left a
 * private room, with {@value #LEFT}): the removal travels through the broker like a logout ({@link
 * Sessions}), and each node closes its own sockets of that user in that room with {@value
 * #REMOVED}. The user's sockets in other rooms stay open.
 */
@ApplicationScoped
public class RoomRemovals {
  /** Close code: the owner or an admin removed the user from the room. */
  public static final int REMOVED = 4004;

  /** Close code: the user left the private room (from another device, say). */
  public static final int LEFT = 4005;

  /** The broker frames that close a user's sockets in a room; never sent to a client. */
  static final String MEMBER_REMOVED = "member-removed";

  static final String MEMBER_LEFT = "member-left";

  private final Instance<Broker> brokers;
  private final Hub hub;
  private final MembershipService memberships;

  public RoomRemovals(Instance<Broker> brokers, Hub hub, MembershipService memberships) {
    this.brokers = brokers;
    this.hub = hub;
    this.memberships = memberships;
  }

  /**
   * Asks PostgreSQL whether the users of this node's sockets in private rooms are still members:
   * catches a removal or a leave whose broker message this node missed (the node that made it was
   * cut off from Redis, say). Such sockets close with {@value #REMOVED}. An outage leaves them open
   * until the database answers.
   */
  @Scheduled(
      every = "${huddle.limits.session-check-interval}",
      // Not at start: the first run creates MembershipService and what it needs (rate limits,
      // with the Redis broker their Redis buckets) on a worker thread, which raced the start-up's
      // own creation of the Redis client (a ConcurrentModificationException in Quarkus's
      // RedisClientRecorder: a cluster node failed to start).
      delayed = "${huddle.limits.session-check-interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void checkWithDatabase() {
    Set<MembershipService.Seat> seats = new HashSet<>();
    hub.forEachRoom(
        (roomId, room) -> {
          for (Member member : room.snapshot()) {
            seats.add(new MembershipService.Seat(roomId, Long.parseLong(member.userId)));
          }
        });
    Set<MembershipService.Seat> gone;
    try {
      gone = memberships.goneAmong(seats);
    } catch (RuntimeException e) {
      Log.debugf("Membership check skipped: %s", e.getMessage());
      return;
    }
    for (MembershipService.Seat seat : gone) {
      close(seat.roomId(), String.valueOf(seat.userId()), REMOVED, "Removed from the room");
    }
  }

  /** Closes this node's sockets of the user in the room. */
  private void close(String roomId, String userId, int code, String reason) {
    RoomMembers room = hub.room(roomId);
    if (room == null) {
      return;
    }
    for (Member member : room.snapshot()) {
      if (member.userId.equals(userId)) {
        SocketClose.quietly(member.connection, code, reason);
      }
    }
  }

  /** After the removal commits (a rolled-back one closes nothing). */
  void onRemoved(@Observes(during = TransactionPhase.AFTER_SUCCESS) MemberRemoved removed) {
    brokers
        .get()
        .publish(
            ChatFrame.memberRemoved(
                removed.roomId(), String.valueOf(removed.userId()), removed.left()));
  }

  /** A member-removed frame from the broker (local or from another node). */
  void removed(ChatFrame frame) {
    boolean left = MEMBER_LEFT.equals(frame.type());
    close(
        frame.roomId(),
        frame.userId(),
        left ? LEFT : REMOVED,
        left ? "Left the room" : "Removed from the room");
  }
}
