package io.huddle.room;

import io.huddle.auth.AuthUser;
import io.huddle.common.ApiException;
import io.huddle.common.RequestValidator;
import io.huddle.limit.RateLimits;
import io.huddle.room.InvitationRecords.Acceptance;
import io.huddle.room.InvitationRecords.Accepted;
import io.huddle.room.InvitationRecords.CreateRequest;
import io.huddle.room.InvitationRecords.Invitation;
import io.huddle.room.InvitationRecords.InvitationList;
import io.huddle.room.InvitationRecords.New;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Invitation links to private rooms: the owner or an admin makes one (an expiry, optionally a
 * number of uses), whoever accepts it while it works becomes a member. A code is 192 random bits;
 * only its SHA-256 is stored and looked up, and every code that does not work (unknown, expired,
 * revoked, used up) gets one and the same 404, so the answers tell nothing about codes.
 */
@ApplicationScoped
public class InvitationService {
  private static final int CODE_BYTES = 24;
  private static final Pattern CODE = Pattern.compile("^[A-Za-z0-9_-]{32}$");
  private static final String NOT_VALID =
      "This invitation link does not work: it is unknown, expired, revoked or used up";

  private static final String COLUMNS =
      "id, room_id, created_by, created_at, expires_at, max_uses, uses";

  private final SecureRandom random = new SecureRandom();
  private final RoomService rooms;
  private final RequestValidator validator;
  private final RateLimits limits;

  public InvitationService(RoomService rooms, RequestValidator validator, RateLimits limits) {
    this.rooms = rooms;
    this.validator = validator;
    this.limits = limits;
  }

  /** A new link to the private room; the caller must be its owner or an admin. */
  @Transactional
  public New create(String roomId, CreateRequest request, AuthUser caller) {
    requireManager(roomId, caller);
    validator.check(request);
    // A link may admit many: it costs what an invitation by username costs.
    limits.beforeInvite(caller.id());
    byte[] raw = new byte[CODE_BYTES];
    random.nextBytes(raw);
    String code = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    Instant expiresAt = now.plusSeconds(request.expiresInSeconds());
    Number id =
        (Number)
            em().createNativeQuery(
                    "INSERT INTO room_invitations (room_id, code_hash, created_by, created_at,"
                        + " expires_at, max_uses) VALUES (:room, :hash, :by, :now, :expires,"
                        + " :maxUses) RETURNING id")
                .setParameter("room", roomId)
                .setParameter("hash", hash(code))
                .setParameter("by", caller.id())
                .setParameter("now", now)
                .setParameter("expires", expiresAt)
                .setParameter("maxUses", request.maxUses())
                .getSingleResult();
    return new New(String.valueOf(id), code, expiresAt, request.maxUses());
  }

  /** The room's links that still work; for its owner and admins. */
  @Transactional
  @SuppressWarnings("unchecked")
  public InvitationList list(String roomId, AuthUser caller) {
    requireManager(roomId, caller);
    List<Object[]> rows =
        em().createNativeQuery(
                "SELECT "
                    + COLUMNS
                    + " FROM room_invitations WHERE room_id = :room AND expires_at > now()"
                    + " AND (max_uses IS NULL OR uses < max_uses) ORDER BY id DESC")
            .setParameter("room", roomId)
            .getResultList();
    return new InvitationList(rows.stream().map(InvitationService::invitation).toList());
  }

  /** Revokes one of the room's links (it stops working at once, on every replica). */
  @Transactional
  public void revoke(String roomId, String invitationId, AuthUser caller) {
    requireManager(roomId, caller);
    ApiException unknown =
        ApiException.notFound(
            "Room '" + roomId + "' has no invitation link " + invitationId + " (any more)");
    if (invitationId == null || !invitationId.matches("^[1-9][0-9]{0,17}$")) {
      throw unknown;
    }
    int deleted =
        em().createNativeQuery("DELETE FROM room_invitations WHERE id = :id AND room_id = :room")
            .setParameter("id", Long.parseLong(invitationId))
            .setParameter("room", roomId)
            .executeUpdate();
    if (deleted == 0) {
      throw unknown;
    }
  }

  /**
   * Makes the caller a member of the link's room, using up one use; a caller who already is a
   * member uses none. Concurrent acceptances of one link run one after the other (its row is
   * locked), so {@code maxUses} holds on every replica.
   */
  @Transactional
  @SuppressWarnings("unchecked")
  public Acceptance accept(String code, AuthUser caller) {
    // Every attempt counts, the failed ones first of all: codes cannot be tried at will.
    limits.beforeInvitationAccept(caller.id());
    if (code == null || !CODE.matcher(code).matches()) {
      throw ApiException.notFound(NOT_VALID);
    }
    List<Object[]> found =
        em().createNativeQuery(
                "SELECT i.id, i.room_id, r.name FROM room_invitations i JOIN rooms r"
                    + " ON r.id = i.room_id WHERE i.code_hash = :hash AND i.expires_at > now()"
                    + " AND (i.max_uses IS NULL OR i.uses < i.max_uses) FOR UPDATE OF i")
            .setParameter("hash", hash(code))
            .getResultList();
    if (found.isEmpty()) {
      throw ApiException.notFound(NOT_VALID);
    }
    long id = ((Number) found.get(0)[0]).longValue();
    String roomId = (String) found.get(0)[1];
    String name = (String) found.get(0)[2];
    // Membership changes of a room run one after the other (see MembershipService).
    RoomMember.lockOwner(roomId);
    // A ban outlives any link: the banned user learns why, and no use is taken.
    if (RoomMember.isBanned(roomId, caller.id())) {
      throw new ApiException(403, "You are banned from room '" + roomId + "'");
    }
    var existing = RoomMember.find(roomId, caller.id());
    if (existing.isPresent()) {
      RoomMember m = existing.get();
      return new Acceptance(new Accepted(roomId, name, m.role.wire(), m.joinedAt), false);
    }
    RoomMember member =
        RoomMember.of(
            roomId, caller.id(), RoomRole.MEMBER, Instant.now().truncatedTo(ChronoUnit.MICROS));
    member.persist();
    em().createNativeQuery("UPDATE room_invitations SET uses = uses + 1 WHERE id = :id")
        .setParameter("id", id)
        .executeUpdate();
    return new Acceptance(new Accepted(roomId, name, member.role.wire(), member.joinedAt), true);
  }

  /**
   * Deletes the links that can no longer admit anyone (expired or used up): nothing lists or
   * accepts them, and without this their rows would stay for good. Hourly, from an hour after the
   * start (never racing the start-up).
   */
  @Scheduled(every = "1h", delayed = "1h", concurrentExecution = ConcurrentExecution.SKIP)
  void scheduledCleanUp() {
    int removed = removeDead();
    if (removed > 0) {
      Log.debugf("Removed %d expired or used-up invitation link(s)", removed);
    }
  }

  /** Deletes every link that has expired or is used up; answers how many. */
  @Transactional
  public int removeDead() {
    return em().createNativeQuery(
            "DELETE FROM room_invitations"
                + " WHERE expires_at <= now() OR (max_uses IS NOT NULL AND uses >= max_uses)")
        .executeUpdate();
  }

  /** 404 unless the caller sees the room; 409 unless it is private; 403 unless owner or admin. */
  private void requireManager(String roomId, AuthUser caller) {
    RoomKind kind = rooms.requireChangeable(roomId, caller);
    if (kind != RoomKind.PRIVATE) {
      throw ApiException.conflict(
          "Room '" + roomId + "' is public: anyone may join it without an invitation");
    }
    RoomRole role = RoomMember.find(roomId, caller.id()).map(m -> m.role).orElse(null);
    if (role != RoomRole.OWNER && role != RoomRole.ADMIN) {
      throw new ApiException(403, "Only the room's owner or an admin can manage invitation links");
    }
  }

  private static EntityManager em() {
    return RoomMember.getEntityManager();
  }

  static byte[] hash(String code) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }

  private static Invitation invitation(Object[] c) {
    return new Invitation(
        String.valueOf(c[0]),
        (String) c[1],
        String.valueOf(c[2]),
        instant(c[3]),
        instant(c[4]),
        c[5] == null ? null : ((Number) c[5]).intValue(),
        ((Number) c[6]).intValue());
  }

  /** A timestamptz column, whichever Java type the driver and Hibernate chose for it. */
  private static Instant instant(Object value) {
    if (value instanceof Instant i) {
      return i;
    }
    if (value instanceof OffsetDateTime o) {
      return o.toInstant();
    }
    return ((Timestamp) value).toInstant();
  }
}
