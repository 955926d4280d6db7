package io.huddle.room;

import io.agroal.api.AgroalDataSource;
import io.huddle.auth.AuthUser;
import io.huddle.common.ApiException;
import io.huddle.common.DatabaseUnavailableException;
import io.huddle.common.RequestValidator;
import io.huddle.limit.RateLimits;
import io.huddle.room.MemberRecords.InviteRequest;
import io.huddle.room.MemberRecords.MemberList;
import io.huddle.room.MemberRecords.MemberResponse;
import io.huddle.room.MemberRecords.RoleRequest;
import io.huddle.room.MemberRecords.TransferRequest;
import io.huddle.user.User;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hibernate.exception.ConstraintViolationException;

/**
 * Who belongs to a room and with which role: invite, leave, removal, role changes, ownership
 * transfer. Every rule is checked against the caller's verified identity and its current row in
 * PostgreSQL, after {@link RoomService#requireVisible} (so a private room stays a 404 to
 * non-members). Each change locks the owner's row first, so one room's changes never interleave.
 */
@ApplicationScoped
public class MembershipService {
  private final RoomService rooms;
  private final RequestValidator validator;
  private final Event<MemberRemoved> removals;

  private final RateLimits limits;
  private final AgroalDataSource dataSource;

  public MembershipService(
      RoomService rooms,
      RequestValidator validator,
      Event<MemberRemoved> removals,
      RateLimits limits,
      AgroalDataSource dataSource) {
    this.rooms = rooms;
    this.validator = validator;
    this.removals = removals;
    this.limits = limits;
    this.dataSource = dataSource;
  }

  /** A user in a room, as the periodic check of open sockets asks about it. */
  public record Seat(String roomId, long userId) {}

  /**
   * Of the seats given, those in a private room whose user is no longer a member of it: a removal
   * or a leave whose broker message this node missed (one query for all, plain JDBC like the
   * session check).
   *
   * @throws DatabaseUnavailableException when PostgreSQL cannot answer
   */
  public Set<Seat> goneAmong(Collection<Seat> seats) {
    if (seats.isEmpty()) {
      return Set.of();
    }
    String[] roomIds = seats.stream().map(Seat::roomId).toArray(String[]::new);
    Long[] userIds = seats.stream().map(Seat::userId).toArray(Long[]::new);
    try (Connection c = dataSource.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "SELECT s.room_id, s.user_id"
                    + " FROM unnest(?::text[], ?::bigint[]) AS s(room_id, user_id)"
                    + " JOIN rooms r ON r.id = s.room_id"
                    + " WHERE r.kind = 'private' AND NOT EXISTS (SELECT 1 FROM room_members m"
                    + " WHERE m.room_id = s.room_id AND m.user_id = s.user_id)")) {
      q.setArray(1, c.createArrayOf("text", roomIds));
      q.setArray(2, c.createArrayOf("bigint", userIds));
      Set<Seat> gone = new HashSet<>();
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          gone.add(new Seat(rs.getString(1), rs.getLong(2)));
        }
      }
      return gone;
    } catch (SQLException e) {
      throw new DatabaseUnavailableException(e);
    }
  }

  /** The room's members (a public room: its owner and whoever was invited or promoted). */
  @Transactional
  public MemberList members(String roomId, AuthUser caller) {
    rooms.requireVisible(roomId, caller);
    return list(roomId);
  }

  /** Adds the named user as a member; the caller must be the room's owner or an admin. */
  @Transactional
  public MemberResponse invite(String roomId, InviteRequest request, AuthUser caller) {
    validator.check(request);
    // Charged before anything is looked up: an invitation's answer says whether a username exists.
    limits.beforeInvite(caller.id());
    rooms.requireChangeable(roomId, caller);
    RoomMember.lockOwner(roomId);
    RoomRole role = roleOf(roomId, caller);
    if (role != RoomRole.OWNER && role != RoomRole.ADMIN) {
      throw forbidden("Only the room's owner or an admin can invite");
    }
    User user =
        User.<User>find("username", request.username())
            .firstResultOptional()
            .orElseThrow(
                () -> ApiException.notFound("There is no user '" + request.username() + "'"));
    ApiException already =
        ApiException.conflict(
            "'" + user.username + "' is already a member of room '" + roomId + "'");
    if (RoomMember.isMember(roomId, user.id)) {
      throw already;
    }
    RoomMember.refuseBanned(roomId, user);
    RoomMember member =
        RoomMember.of(
            roomId, user.id, RoomRole.MEMBER, Instant.now().truncatedTo(ChronoUnit.MICROS));
    try {
      // The primary key decides, should a room without an owner row (no lock) be raced.
      member.persistAndFlush();
    } catch (ConstraintViolationException e) {
      throw already;
    }
    return response(member, user.username);
  }

  /** The caller leaves the room; the owner must hand the room over first. */
  @Transactional
  public void leave(String roomId, AuthUser caller) {
    RoomKind kind = rooms.requireChangeable(roomId, caller);
    RoomMember.lockOwner(roomId);
    RoomMember self =
        RoomMember.find(roomId, caller.id())
            .orElseThrow(
                () -> ApiException.notFound("You are not a member of room '" + roomId + "'"));
    if (self.role == RoomRole.OWNER) {
      throw ApiException.conflict(
          "The owner cannot leave the room: transfer the ownership to another member first");
    }
    self.delete();
    if (kind == RoomKind.PRIVATE) {
      // A private room is for members only: sockets still open in it would go on receiving.
      removals.fire(new MemberRemoved(roomId, caller.id(), true));
    }
  }

  /**
   * Makes another member the owner; the caller, who must be the owner, becomes an admin.
   *
   * @return the members afterwards
   */
  @Transactional
  public MemberList transfer(String roomId, TransferRequest request, AuthUser caller) {
    validator.check(request);
    rooms.requireChangeable(roomId, caller);
    Optional<RoomMember> owner = RoomMember.lockOwner(roomId);
    if (owner.isEmpty() || owner.get().userId != caller.id()) {
      throw forbidden("Only the room's owner can transfer the ownership");
    }
    long target = Long.parseLong(request.userId());
    if (target == caller.id()) {
      throw ApiException.conflict("You already own room '" + roomId + "'");
    }
    RoomMember heir =
        RoomMember.find(roomId, target)
            .orElseThrow(
                () ->
                    ApiException.conflict(
                        "User "
                            + target
                            + " is not a member of room '"
                            + roomId
                            + "': invite them first"));
    owner.get().role = RoomRole.ADMIN;
    // The old owner's row first: the index that allows one owner per room checks each statement.
    RoomMember.flush();
    heir.role = RoomRole.OWNER;
    RoomMember.flush();
    return list(roomId);
  }

  /** Makes a member an admin or a plain member; only the owner may. */
  @Transactional
  public MemberResponse changeRole(
      String roomId, String userId, RoleRequest request, AuthUser caller) {
    validator.check(request);
    RoomRole role =
        RoomRole.parse(request.role())
            .filter(r -> r != RoomRole.OWNER)
            .orElseThrow(
                () ->
                    ApiException.badRequest(
                        "role must be admin or member (ownership moves with PUT .../owner)"));
    long target = userIdOf(userId);
    rooms.requireChangeable(roomId, caller);
    Optional<RoomMember> owner = RoomMember.lockOwner(roomId);
    if (owner.isEmpty() || owner.get().userId != caller.id()) {
      throw forbidden("Only the room's owner can change roles");
    }
    RoomMember member = memberOf(roomId, target);
    if (member.role == RoomRole.OWNER) {
      throw ApiException.conflict(
          "The owner's role changes only by transferring the ownership (PUT .../owner)");
    }
    member.role = role;
    return response(member, User.<User>findById(target).username);
  }

  /**
   * Removes another member: the owner removes admins and members, an admin members only. The user's
   * sockets in the room are closed on every replica after the commit ({@link MemberRemoved}); a
   * public room's visitor may open one again (there is no ban yet).
   */
  @Transactional
  public void remove(String roomId, String userId, AuthUser caller) {
    long target = userIdOf(userId);
    rooms.requireChangeable(roomId, caller);
    RoomMember.lockOwner(roomId);
    RoomRole role = roleOf(roomId, caller);
    if (role != RoomRole.OWNER && role != RoomRole.ADMIN) {
      throw forbidden("Only the room's owner or an admin can remove members");
    }
    if (target == caller.id()) {
      throw ApiException.conflict("To leave the room yourself, use DELETE .../members/me");
    }
    RoomMember member = memberOf(roomId, target);
    if (member.role == RoomRole.OWNER) {
      throw forbidden("Nobody can remove the room's owner");
    }
    if (member.role == RoomRole.ADMIN && role != RoomRole.OWNER) {
      throw forbidden("Only the room's owner can remove an admin");
    }
    member.delete();
    removals.fire(new MemberRemoved(roomId, target, false));
  }

  private static long userIdOf(String userId) {
    if (userId == null || !userId.matches(MemberRecords.USER_ID_PATTERN)) {
      throw ApiException.badRequest(MemberRecords.USER_ID_RULE);
    }
    return Long.parseLong(userId);
  }

  private static RoomMember memberOf(String roomId, long userId) {
    return RoomMember.find(roomId, userId)
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "User " + userId + " is not a member of room '" + roomId + "'"));
  }

  /** The caller's role; null when it has no row (a visitor of a public room). */
  private static RoomRole roleOf(String roomId, AuthUser caller) {
    return RoomMember.find(roomId, caller.id()).map(m -> m.role).orElse(null);
  }

  private static ApiException forbidden(String message) {
    return new ApiException(403, message);
  }

  private static MemberList list(String roomId) {
    List<Object[]> rows =
        RoomMember.getEntityManager()
            .createQuery(
                "select m, u.username from RoomMember m join User u on u.id = m.userId"
                    + " where m.roomId = ?1",
                Object[].class)
            .setParameter(1, roomId)
            .getResultList();
    return new MemberList(
        rows.stream()
            .sorted(
                Comparator.comparing((Object[] row) -> ((RoomMember) row[0]).role)
                    .thenComparing(row -> ((RoomMember) row[0]).joinedAt)
                    .thenComparing(row -> ((RoomMember) row[0]).userId))
            .map(row -> response((RoomMember) row[0], (String) row[1]))
            .toList());
  }

  private static MemberResponse response(RoomMember member, String username) {
    return new MemberResponse(
        String.valueOf(member.userId), username, member.role.wire(), member.joinedAt);
  }
}
