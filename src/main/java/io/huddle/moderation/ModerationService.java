package io.huddle.moderation;

import io.huddle.auth.AuthUser;
import io.huddle.common.ApiException;
import io.huddle.common.RequestValidator;
import io.huddle.moderation.ModerationRecords.BanList;
import io.huddle.moderation.ModerationRecords.BanRequest;
import io.huddle.moderation.ModerationRecords.BanResponse;
import io.huddle.moderation.ModerationRecords.KickRequest;
import io.huddle.moderation.ModerationRecords.MuteRequest;
import io.huddle.moderation.ModerationRecords.MuteResponse;
import io.huddle.room.RoomKind;
import io.huddle.room.RoomMember;
import io.huddle.room.RoomRole;
import io.huddle.room.RoomService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Kick, ban and mute: the owner acts on admins and members, an admin on members only, nobody on
 * themselves or on the owner. Each action is stored in the audit log and announced ({@link
 * #announce}) after its commit. Archiving and deleting a room are {@link RoomClosing}'s.
 */
@ApplicationScoped
public class ModerationService {
  private final ModerationGuard guard;
  private final RequestValidator validator;

  public ModerationService(ModerationGuard guard, RequestValidator validator) {
    this.guard = guard;
    this.validator = validator;
  }

  /**
   * Closes the user's sockets in this room on every replica (4006). Nothing else changes: a member
   * stays a member, and the user may open a socket again (a ban is what keeps it out).
   */
  @Transactional
  public void kick(String roomId, KickRequest request, AuthUser caller) {
    validator.check(request);
    ModerationGuard.Target target = guard.target(roomId, caller, request.userId(), "kick");
    guard.refuseArchived(roomId);
    guard.record(target, ModerationAction.KICK, null, null);
  }

  /**
   * Bans the user: its sockets in the room close (4007), its handshakes and history requests are
   * refused until it is unbanned, and in a private room its membership ends.
   */
  @Transactional
  public BanResponse ban(String roomId, BanRequest request, AuthUser caller) {
    validator.check(request);
    ModerationGuard.Target target = guard.target(roomId, caller, request.userId(), "ban");
    if (RoomBan.count("roomId = ?1 and userId = ?2", roomId, target.userId()) > 0) {
      throw ApiException.conflict("'" + target.username() + "' is already banned from this room");
    }
    RoomBan ban = new RoomBan();
    ban.roomId = roomId;
    ban.userId = target.userId();
    ban.bannedBy = caller.id();
    ban.reason = blankToNull(request.reason());
    ban.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    ban.persist();
    if (target.kind() == RoomKind.PRIVATE) {
      RoomMember.delete("roomId = ?1 and userId = ?2", roomId, target.userId());
    }
    RoomMute.delete("roomId = ?1 and userId = ?2", roomId, target.userId());
    guard.record(target, ModerationAction.BAN, ban.reason, null);
    return new BanResponse(
        String.valueOf(ban.userId),
        target.username(),
        ban.reason,
        caller.username(),
        ban.createdAt);
  }

  /** Lifts a ban; in a private room the user must be invited again. */
  @Transactional
  public void unban(String roomId, String userId, AuthUser caller) {
    ModerationGuard.Target target = guard.target(roomId, caller, userId, "unban");
    if (RoomBan.delete("roomId = ?1 and userId = ?2", roomId, target.userId()) == 0) {
      throw ApiException.notFound("'" + target.username() + "' is not banned from this room");
    }
    guard.record(target, ModerationAction.UNBAN, null, null);
  }

  /** The room's bans, newest first (owner or admin). */
  @Transactional
  public BanList bans(String roomId, AuthUser caller) {
    guard.requireModerator(roomId, caller);
    List<Object[]> rows =
        RoomBan.getEntityManager()
            .createQuery(
                "select b, u.username, a.username from RoomBan b, User u, User a"
                    + " where b.roomId = ?1 and u.id = b.userId and a.id = b.bannedBy"
                    + " order by b.createdAt desc, b.userId",
                Object[].class)
            .setParameter(1, roomId)
            .getResultList();
    return new BanList(
        rows.stream()
            .map(
                row -> {
                  RoomBan b = (RoomBan) row[0];
                  return new BanResponse(
                      String.valueOf(b.userId),
                      (String) row[1],
                      b.reason,
                      (String) row[2],
                      b.createdAt);
                })
            .toList());
  }

  /**
   * Mutes the user for the duration (replacing a mute it has): its messages and typing signals in
   * the room are answered with an error frame until then, on every replica.
   */
  @Transactional
  public MuteResponse mute(String roomId, MuteRequest request, AuthUser caller) {
    validator.check(request);
    ModerationGuard.Target target = guard.target(roomId, caller, request.userId(), "mute");
    guard.refuseArchived(roomId);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    Instant until = now.plusSeconds(request.durationSeconds());
    RoomMute mute =
        RoomMute.<RoomMute>find("roomId = ?1 and userId = ?2", roomId, target.userId())
            .firstResultOptional()
            .orElseGet(RoomMute::new);
    mute.roomId = roomId;
    mute.userId = target.userId();
    mute.mutedBy = caller.id();
    mute.createdAt = now;
    mute.until = until;
    mute.persist();
    guard.record(target, ModerationAction.MUTE, null, until);
    return new MuteResponse(String.valueOf(target.userId()), target.username(), until);
  }

  /** Ends the user's mute before its time. */
  @Transactional
  public void unmute(String roomId, String userId, AuthUser caller) {
    ModerationGuard.Target target = guard.target(roomId, caller, userId, "unmute");
    long ended =
        RoomMute.delete(
            "roomId = ?1 and userId = ?2 and until > ?3", roomId, target.userId(), Instant.now());
    RoomMute.delete("roomId = ?1 and userId = ?2", roomId, target.userId());
    if (ended == 0) {
      throw ApiException.notFound("'" + target.username() + "' is not muted in this room");
    }
    guard.record(target, ModerationAction.UNMUTE, null, null);
  }

  /**
   * {@link RoomService#requireVisible}, and not banned: a banned user of a public room gets 403, of
   * a private room 404 (it is no member any more, so the room stays as absent as an unknown id).
   */
  public RoomKind requireAdmitted(String roomId, AuthUser user) {
    return guard.requireAdmitted(roomId, user);
  }

  /**
   * Before an edit or delete over REST: admitted ({@link #requireAdmitted}), the room not archived
   * (409) and the caller not muted (403).
   */
  public void requireMayChangeMessages(String roomId, AuthUser user) {
    guard.requireMayChangeMessages(roomId, user);
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.strip();
  }

  /** The roles that may moderate. */
  static boolean moderates(RoomRole role) {
    return role == RoomRole.OWNER || role == RoomRole.ADMIN;
  }
}
