package io.huddle.chat;

import io.huddle.moderation.Moderated;
import io.huddle.moderation.ModerationAction;
import io.huddle.moderation.RoomSanctions;
import io.huddle.room.RoomService;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.enterprise.inject.Instance;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Carries moderation actions to every node, like {@link RoomRemovals}: after the commit the action
 * goes through the broker as a {@code moderation} frame; each node delivers it to its sockets in
 * the room, updates its {@link RoomSanctions} and closes what the action ends: the target's sockets
 * in the room (kick {@value #KICKED}, ban {@value #BANNED}) or every socket in it (archive {@value
 * #ARCHIVED}, delete {@value #DELETED}). A node that missed the message catches up within a refresh
 * interval, when it reads the sanctions of the rooms it has sockets in again.
 */
@ApplicationScoped
public class ModerationRelay {
  /** Close code: an owner or admin kicked the user out of the room. */
  public static final int KICKED = 4006;

  /** Close code: the user is banned from the room. */
  public static final int BANNED = 4007;

  /** Close code: the owner archived the room. */
  public static final int ARCHIVED = 4008;

  /** Close code: the owner deleted the room. */
  public static final int DELETED = 4009;

  private final Instance<Broker> brokers;
  private final Hub hub;
  private final RoomSanctions sanctions;
  private final RoomService rooms;

  public ModerationRelay(
      Instance<Broker> brokers, Hub hub, RoomSanctions sanctions, RoomService rooms) {
    this.brokers = brokers;
    this.hub = hub;
    this.sanctions = sanctions;
    this.rooms = rooms;
  }

  /** After the action commits (a rolled-back one tells nobody). */
  void onModerated(@Observes(during = TransactionPhase.AFTER_SUCCESS) Moderated moderated) {
    brokers.get().publish(ChatFrame.moderation(moderated));
  }

  /**
   * A moderation frame from the broker (local or from another node), already delivered to this
   * node's sockets in the room: what the action changes on this node.
   */
  void apply(ChatFrame frame) {
    ModerationAction action = ModerationAction.fromWire(frame.action());
    if (action == null || frame.roomId() == null) {
      return;
    }
    String roomId = frame.roomId();
    long userId = frame.userId() == null ? -1 : Long.parseLong(frame.userId());
    switch (action) {
      case KICK -> closeUser(roomId, frame.userId(), KICKED, "Kicked from the room");
      case BAN -> {
        sanctions.banned(roomId, userId, true);
        sanctions.muted(roomId, userId, null);
        closeUser(roomId, frame.userId(), BANNED, "Banned from the room");
      }
      case UNBAN -> sanctions.banned(roomId, userId, false);
      case MUTE -> sanctions.muted(roomId, userId, frame.until());
      case UNMUTE -> sanctions.muted(roomId, userId, null);
      case ARCHIVE -> {
        sanctions.archived(roomId);
        close(roomId, m -> true, ARCHIVED, "Room archived");
      }
      case DELETE -> {
        rooms.forget(roomId);
        sanctions.deleted(roomId);
        close(roomId, m -> true, DELETED, "Room deleted");
      }
    }
  }

  /**
   * Reads the sanctions of the rooms this node has sockets in again (one round of queries for all)
   * and closes what a missed broker message should have closed: banned users' sockets, and every
   * socket of an archived or deleted room.
   */
  @Scheduled(
      every = "${huddle.chat.sanctions-refresh}",
      delayed = "${huddle.chat.sanctions-refresh}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void refresh() {
    List<String> roomIds = new ArrayList<>();
    hub.forEachRoom((roomId, room) -> roomIds.add(roomId));
    if (roomIds.isEmpty()) {
      return;
    }
    Map<String, RoomSanctions.Entry> loaded;
    try {
      loaded = sanctions.reload(roomIds);
    } catch (RuntimeException e) {
      Log.debugf("Sanctions refresh skipped: %s", e.getMessage());
      return;
    }
    loaded.forEach(
        (roomId, entry) -> {
          if (!entry.exists()) {
            rooms.forget(roomId);
            close(roomId, m -> true, DELETED, "Room deleted");
          } else if (entry.archived()) {
            close(roomId, m -> true, ARCHIVED, "Room archived");
          } else if (!entry.banned().isEmpty()) {
            close(
                roomId,
                m -> entry.isBanned(Long.parseLong(m.userId)),
                BANNED,
                "Banned from the room");
          }
        });
  }

  /** The user's mute in the room, if any (this node's copy: never blocks). */
  Instant mutedUntil(String roomId, long userId) {
    return sanctions.mutedUntil(roomId, userId).orElse(null);
  }

  private void closeUser(String roomId, String userId, int code, String reason) {
    if (userId != null) {
      close(roomId, m -> m.userId.equals(userId), code, reason);
    }
  }

  private void close(String roomId, Predicate<Member> which, int code, String reason) {
    RoomMembers room = hub.room(roomId);
    if (room == null) {
      return;
    }
    for (Member member : room.snapshot()) {
      if (which.test(member)) {
        SocketClose.quietly(member.connection, code, reason);
      }
    }
  }
}
