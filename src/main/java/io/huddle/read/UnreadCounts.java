package io.huddle.read;

import io.huddle.room.Room;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How many messages a user has not read in a room: the stored messages of other users with a seq
 * above the user's marker (messages only: not edit or delete events, not deleted messages), counted
 * up to {@value #CAP} ({@value #CAP} means "that many or more"). Each count walks the room's
 * (room_id, seq) index from the marker and stops after {@value #CAP} messages of others, so it
 * costs at most {@value #CAP} rows plus the user's own messages after the marker (the web client
 * moves the marker past those as soon as they are shown). Nothing is counted in a room whose {@code
 * last_seq} is not above the marker.
 */
@ApplicationScoped
public class UnreadCounts {
  public static final int CAP = 100;

  /**
   * The count as an SQL expression, for queries that bind {@code :viewer}.
   *
   * @param roomId the room id column
   * @param lastSeq the room's last_seq column
   * @param marker the user's marker (an expression that is 0 without one)
   */
  public static String sql(String roomId, String lastSeq, String marker) {
    return "CASE WHEN "
        + lastSeq
        + " <= "
        + marker
        + " THEN 0 ELSE (SELECT count(*) FROM (SELECT 1 FROM messages um WHERE um.room_id = "
        + roomId
        + " AND um.seq > "
        + marker
        + " AND um.user_id <> :viewer AND um.kind = 'message' AND um.deleted_at IS NULL"
        + " ORDER BY um.seq LIMIT "
        + CAP
        + ") unread_rows) END";
  }

  private static final String FOR_ROOMS =
      "SELECT r.id, "
          + sql("r.id", "r.last_seq", "COALESCE(rr.last_read_seq, 0)")
          + " FROM rooms r"
          + " LEFT JOIN room_reads rr ON rr.room_id = r.id AND rr.user_id = :viewer"
          + " WHERE r.id IN (:ids) AND (rr.user_id IS NOT NULL OR EXISTS (SELECT 1 FROM"
          + " room_members m WHERE m.room_id = r.id AND m.user_id = :viewer))";

  /**
   * The unread counts of these rooms for the viewer, in one query: for the rooms it is a member of
   * or has marked read at least once. A public room it has never marked and does not belong to has
   * no entry (it has not read any of it, and need not: every public room would count).
   */
  @Transactional
  @SuppressWarnings("unchecked")
  public Map<String, Integer> forRooms(long viewer, List<String> roomIds) {
    Map<String, Integer> counts = new HashMap<>();
    if (roomIds.isEmpty()) {
      return counts;
    }
    List<Object[]> rows =
        Room.getEntityManager()
            .createNativeQuery(FOR_ROOMS)
            .setParameter("viewer", viewer)
            .setParameter("ids", roomIds)
            .getResultList();
    for (Object[] row : rows) {
      counts.put((String) row[0], ((Number) row[1]).intValue());
    }
    return counts;
  }
}
