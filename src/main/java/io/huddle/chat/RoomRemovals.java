package io.huddle.chat;

import io.huddle.room.MemberRemoved;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.enterprise.inject.Instance;

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

  public RoomRemovals(Instance<Broker> brokers, Hub hub) {
    this.brokers = brokers;
    this.hub = hub;
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
    RoomMembers room = hub.room(frame.roomId());
    if (room == null) {
      return;
    }
    boolean left = MEMBER_LEFT.equals(frame.type());
    for (Member member : room.snapshot()) {
      if (member.userId.equals(frame.userId())) {
        SocketClose.quietly(
            member.connection,
            left ? LEFT : REMOVED,
            left ? "Left the room" : "Removed from the room");
      }
    }
  }
}
