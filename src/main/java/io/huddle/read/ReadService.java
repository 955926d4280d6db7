package io.huddle.read;

import io.huddle.auth.AuthUser;
import io.huddle.common.ApiException;
import io.huddle.common.RequestValidator;
import io.huddle.limit.RateLimits;
import io.huddle.read.ReadRecords.MarkRequest;
import io.huddle.read.ReadRecords.ReadMarker;
import io.huddle.room.Room;
import io.huddle.room.RoomService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Read markers: per user and room, the highest seq the user has read, moved forward only. Whoever
 * may read a room (its history, its socket) may mark it; to anyone else it is a 404 as everywhere.
 * A marker that moves is announced after the commit ({@link MarkerMoved}).
 */
@ApplicationScoped
public class ReadService {
  private static final String MARKER =
      "SELECT rr.last_read_seq, rr.updated_at, "
          + UnreadCounts.sql("r.id", "r.last_seq", "rr.last_read_seq")
          + " FROM room_reads rr JOIN rooms r ON r.id = rr.room_id"
          + " WHERE rr.user_id = :viewer AND rr.room_id = :room";

  private static final String NO_MARKER =
      "SELECT " + UnreadCounts.sql("r.id", "r.last_seq", "0") + " FROM rooms r WHERE r.id = :room";

  /** Forward only: an existing marker changes only for a higher seq. */
  private static final String MOVE =
      "INSERT INTO room_reads (user_id, room_id, last_read_seq, updated_at)"
          + " VALUES (:viewer, :room, :seq, :now)"
          + " ON CONFLICT (user_id, room_id) DO UPDATE"
          + " SET last_read_seq = EXCLUDED.last_read_seq, updated_at = EXCLUDED.updated_at"
          + " WHERE room_reads.last_read_seq < EXCLUDED.last_read_seq";

  private final RoomService rooms;
  private final RequestValidator validator;
  private final RateLimits limits;
  private final Event<MarkerMoved> moved;

  public ReadService(
      RoomService rooms, RequestValidator validator, RateLimits limits, Event<MarkerMoved> moved) {
    this.rooms = rooms;
    this.validator = validator;
    this.limits = limits;
    this.moved = moved;
  }

  /**
   * Moves the caller's marker in the room forward to {@code seq}, and answers the marker as it now
   * is (unchanged for a seq at or below it). A seq above the room's last seq is refused (400):
   * nobody can have read a message that does not exist yet.
   */
  @Transactional
  public ReadMarker mark(String roomId, MarkRequest request, AuthUser user) {
    rooms.requireVisible(roomId, user);
    validator.check(request);
    limits.beforeReadMarker(user.id());
    EntityManager em = Room.getEntityManager();
    long lastSeq =
        ((Number)
                em.createNativeQuery("SELECT last_seq FROM rooms WHERE id = :room")
                    .setParameter("room", roomId)
                    .getSingleResult())
            .longValue();
    long seq = request.seq();
    if (seq > lastSeq) {
      throw ApiException.badRequest(
          "seq must be at most the room's last seq (" + lastSeq + "): " + seq + " was never sent");
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    int changed =
        em.createNativeQuery(MOVE)
            .setParameter("viewer", user.id())
            .setParameter("room", roomId)
            .setParameter("seq", seq)
            .setParameter("now", now)
            .executeUpdate();
    if (changed > 0) {
      moved.fire(new MarkerMoved(roomId, user.id(), seq, now));
    }
    return current(roomId, user.id(), em);
  }

  /** The caller's marker in the room (seq 0 and no {@code updatedAt} when it never marked it). */
  @Transactional
  public ReadMarker get(String roomId, AuthUser user) {
    rooms.requireVisible(roomId, user);
    return current(roomId, user.id(), Room.getEntityManager());
  }

  @SuppressWarnings("unchecked")
  private static ReadMarker current(String roomId, long viewer, EntityManager em) {
    List<Object[]> found =
        em.createNativeQuery(MARKER)
            .setParameter("viewer", viewer)
            .setParameter("room", roomId)
            .getResultList();
    if (!found.isEmpty()) {
      Object[] row = found.get(0);
      return new ReadMarker(
          roomId, ((Number) row[0]).longValue(), ((Number) row[2]).intValue(), instant(row[1]));
    }
    Number unread =
        (Number)
            em.createNativeQuery(NO_MARKER)
                .setParameter("viewer", viewer)
                .setParameter("room", roomId)
                .getSingleResult();
    return new ReadMarker(roomId, 0, unread.intValue(), null);
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
