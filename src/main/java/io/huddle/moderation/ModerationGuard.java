package io.huddle.moderation;

import io.huddle.auth.AuthUser;
import io.huddle.common.ApiException;
import io.huddle.limit.RateLimits;
import io.huddle.message.ModerationEvents;
import io.huddle.message.StoredMessage;
import io.huddle.room.Room;
import io.huddle.room.RoomKind;
import io.huddle.room.RoomMember;
import io.huddle.room.RoomRole;
import io.huddle.room.RoomService;
import io.huddle.user.User;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Who may moderate whom, checked from the verified caller and its current row, within the caller's
 * transaction; and the one place an action is stored in the audit log and announced. Every check
 * locks the owner's row first, like membership changes, so one room's changes never interleave.
 */
@ApplicationScoped
class ModerationGuard {
  /** The user an action is about, once the caller may act on it. */
  record Target(String roomId, RoomKind kind, AuthUser caller, long userId, String username) {}

  private final RoomService rooms;
  private final RateLimits limits;
  private final RoomSanctions sanctions;
  private final Event<Moderated> events;
  private final ModerationEvents history;

  ModerationGuard(
      RoomService rooms,
      RateLimits limits,
      RoomSanctions sanctions,
      Event<Moderated> events,
      ModerationEvents history) {
    this.rooms = rooms;
    this.limits = limits;
    this.sanctions = sanctions;
    this.events = events;
    this.history = history;
  }

  /**
   * The room's kind once the caller is its owner or an admin: 404 for a room it may not see, 409
   * for a direct conversation (nobody moderates one), 429 past its moderation rate, 403 otherwise.
   */
  RoomKind requireModerator(String roomId, AuthUser caller) {
    RoomKind kind = rooms.requireVisible(roomId, caller);
    if (kind == RoomKind.DIRECT) {
      throw ApiException.conflict(
          "Room '" + roomId + "' is a direct conversation: it has no moderators");
    }
    lockOwner(roomId);
    if (!ModerationService.moderates(roleOf(roomId, caller.id()).orElse(null))) {
      throw forbidden("Only the room's owner or an admin can moderate it");
    }
    return kind;
  }

  /** {@link #requireModerator}, for an action on the owner only. */
  RoomKind requireOwner(String roomId, AuthUser caller) {
    RoomKind kind = rooms.requireVisible(roomId, caller);
    if (kind == RoomKind.DIRECT) {
      throw ApiException.conflict(
          "Room '" + roomId + "' is a direct conversation: it has no owner");
    }
    Optional<RoomMember> owner = lockOwner(roomId);
    if (owner.isEmpty() || owner.get().userId != caller.id()) {
      throw forbidden("Only the room's owner can do this");
    }
    limits.beforeModeration(caller.id());
    return kind;
  }

  /**
   * The user the caller acts on: the owner acts on anyone but itself, an admin on members and
   * visitors only. A private room's target must be a member, except to unban.
   */
  Target target(String roomId, AuthUser caller, String userId, String verb) {
    if (!ModerationRecords.isUserId(userId)) {
      throw ApiException.badRequest(ModerationRecords.USER_ID_RULE);
    }
    long target = Long.parseLong(userId);
    RoomKind kind = requireModerator(roomId, caller);
    limits.beforeModeration(caller.id());
    if (target == caller.id()) {
      throw ApiException.conflict("You cannot " + verb + " yourself");
    }
    User user =
        User.<User>findByIdOptional(target)
            .orElseThrow(() -> ApiException.notFound("There is no user " + target));
    Optional<RoomRole> role = roleOf(roomId, target);
    if (role.isEmpty() && kind == RoomKind.PRIVATE && !verb.equals("unban")) {
      throw ApiException.notFound("User " + target + " is not a member of room '" + roomId + "'");
    }
    if (role.orElse(null) == RoomRole.OWNER) {
      throw forbidden("Nobody can " + verb + " the room's owner");
    }
    if (role.orElse(null) == RoomRole.ADMIN
        && roleOf(roomId, caller.id()).orElse(null) != RoomRole.OWNER) {
      throw forbidden("Only the room's owner can " + verb + " an admin");
    }
    return new Target(roomId, kind, caller, target, user.username);
  }

  /** 409 for an archived room: nothing happens in it any more. */
  void refuseArchived(String roomId) {
    Room room = Room.findById(roomId);
    if (room != null && room.archivedAt != null) {
      throw ApiException.conflict("Room '" + roomId + "' is archived");
    }
  }

  /**
   * {@link RoomService#requireVisible}, then 403 for a banned user of a public room (a private
   * room's banned user is no member, so it got the 404 already; this stays 404 should it not be).
   */
  RoomKind requireAdmitted(String roomId, AuthUser user) {
    RoomKind kind = rooms.requireVisible(roomId, user);
    if (sanctions.current(roomId).isBanned(user.id())) {
      if (kind == RoomKind.PUBLIC) {
        throw forbidden("You are banned from room '" + roomId + "'");
      }
      throw ApiException.notFound("Room '" + roomId + "' does not exist");
    }
    return kind;
  }

  /**
   * {@link #requireAdmitted}, then 409 in an archived room (its messages no longer change) and 403
   * for a muted user (an edit or delete is a message to the room too).
   */
  void requireMayChangeMessages(String roomId, AuthUser user) {
    requireAdmitted(roomId, user);
    RoomSanctions.Entry entry = sanctions.current(roomId);
    if (entry.archived()) {
      throw ApiException.conflict(
          "Room '" + roomId + "' is archived: its messages can no longer change");
    }
    Optional<Instant> until = entry.mutedUntil(user.id(), Instant.now());
    if (until.isPresent()) {
      throw forbidden("You are muted in this room until " + until.get());
    }
  }

  /** Stores the action in the audit log and announces it; see {@link #announce}. */
  void record(Target target, ModerationAction action, String reason, Instant until) {
    record(
        target.roomId(),
        target.caller(),
        action,
        target.userId(),
        target.username(),
        reason,
        until);
  }

  void record(
      String roomId,
      AuthUser caller,
      ModerationAction action,
      Long userId,
      String username,
      String reason,
      Instant until) {
    ModerationEntry entry = new ModerationEntry();
    entry.roomId = roomId;
    entry.action = action.wire();
    entry.actorId = caller.id();
    entry.actorName = caller.username();
    entry.targetId = userId;
    entry.targetName = username;
    entry.reason = reason;
    entry.until = until;
    entry.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    entry.persist();
    Long seq = null;
    if (action != ModerationAction.DELETE) {
      // The room's history gets it too, at the next seq (the ban's reason stays in the log only).
      OptionalLong stored =
          history.append(
              roomId,
              caller.id(),
              new StoredMessage.Moderation(action.wire(), userId, username, until),
              entry.createdAt);
      seq = stored.isPresent() ? stored.getAsLong() : null;
    }
    announce(
        new Moderated(
            roomId, action, userId, username, caller.username(), until, entry.createdAt, seq));
  }

  /**
   * The one way an action reaches the room: a CDI event that, once the transaction commits, goes
   * through the broker to every replica, which applies it (closes sockets, updates its copy of the
   * room's sanctions) and sends the room's sockets a {@code moderation} frame. A rolled-back action
   * announces nothing. (To become a seq-ordered event in the room's history, this is where it would
   * be written.)
   */
  void announce(Moderated moderated) {
    events.fire(moderated);
  }

  private static Optional<RoomMember> lockOwner(String roomId) {
    return RoomMember.<RoomMember>find("roomId = ?1 and role = ?2", roomId, RoomRole.OWNER)
        .withLock(LockModeType.PESSIMISTIC_WRITE)
        .firstResultOptional();
  }

  private static Optional<RoomRole> roleOf(String roomId, long userId) {
    return RoomMember.<RoomMember>find("roomId = ?1 and userId = ?2", roomId, userId)
        .firstResultOptional()
        .map(m -> m.role);
  }

  private static ApiException forbidden(String message) {
    return new ApiException(403, message);
  }
}
