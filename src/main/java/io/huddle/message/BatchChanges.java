package io.huddle.message;

import io.huddle.message.StoredMessage.Kind;
import io.huddle.message.WriteResult.Refusal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The edits and deletes of one group-commit batch: checked against the stored messages while the
 * batch holds its rooms' locks (so no other writer, on any replica, changes them in between), and
 * applied to those messages in the same transaction as the event rows are inserted.
 */
final class BatchChanges {
  private BatchChanges() {}

  private record Target(String roomId, long seq) {}

  private record Seat(String roomId, long userId) {}

  /** What the check needs of a stored row. */
  private record Stored(Kind kind, long userId, boolean deleted) {}

  /** Locks the batch's rooms in id order, as the insert does (so two replicas never deadlock). */
  static void lockRooms(Connection c, List<PendingWrite> batch) throws SQLException {
    String[] ids =
        batch.stream().map(PendingWrite::roomId).distinct().sorted().toArray(String[]::new);
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT id FROM rooms WHERE id = ANY(?::text[]) ORDER BY id FOR UPDATE")) {
      s.setArray(1, c.createArrayOf("text", ids));
      s.executeQuery().close();
    }
  }

  /**
   * Fills in the refusal of each new edit or delete that may not be made: an unknown seq (404), an
   * event or a deleted message (409), someone else's message (403; a room owner or admin may delete
   * any). Checked in batch order, so a delete earlier in the batch counts.
   */
  static void refuse(
      Connection c, List<PendingWrite> batch, WriteResult[] results, int[] duplicateOf)
      throws SQLException {
    List<Integer> changes = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      if (batch.get(i).isChange() && results[i] == null && duplicateOf[i] < 0) {
        changes.add(i);
      }
    }
    if (changes.isEmpty()) {
      return;
    }
    Map<Target, Stored> stored = stored(c, batch, changes);
    Set<Seat> moderators = moderators(c, batch, changes);
    Set<Target> deletedHere = new HashSet<>();
    for (int i : changes) {
      PendingWrite p = batch.get(i);
      Target target = new Target(p.roomId(), p.targetSeq());
      WriteResult refused = check(p, stored.get(target), deletedHere.contains(target), moderators);
      if (refused != null) {
        results[i] = refused;
      } else if (p.kind() == Kind.DELETE) {
        deletedHere.add(target);
      }
    }
  }

  private static WriteResult check(
      PendingWrite p, Stored row, boolean deletedHere, Set<Seat> moderators) {
    long seq = p.targetSeq();
    if (row == null) {
      return WriteResult.refused(Refusal.NOT_FOUND, "No message with seq " + seq + " in this room");
    }
    if (row.kind() != Kind.MESSAGE) {
      return WriteResult.refused(
          Refusal.CONFLICT,
          "Seq "
              + seq
              + switch (row.kind()) {
                case EDIT -> " is an edit";
                case DELETE -> " is a delete";
                default -> " is a moderation";
              }
              + " event, not a message: it cannot be changed");
    }
    if (row.deleted() || deletedHere) {
      return WriteResult.refused(Refusal.CONFLICT, "Message " + seq + " is deleted");
    }
    if (row.userId() == p.userId()) {
      return null;
    }
    if (p.kind() == Kind.EDIT) {
      return WriteResult.refused(Refusal.FORBIDDEN, "Only its author can edit message " + seq);
    }
    if (moderators.contains(new Seat(p.roomId(), p.userId()))) {
      return null;
    }
    return WriteResult.refused(
        Refusal.FORBIDDEN,
        "Only its author or an owner or admin of the room can delete message " + seq);
  }

  private static Map<Target, Stored> stored(
      Connection c, List<PendingWrite> batch, List<Integer> changes) throws SQLException {
    Map<Target, Stored> found = new HashMap<>();
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT m.room_id, m.seq, m.kind, m.user_id, m.deleted_at IS NOT NULL FROM messages m"
                + " JOIN unnest(?::text[], ?::bigint[]) AS t(r, s)"
                + " ON m.room_id = t.r AND m.seq = t.s")) {
      BatchRows.customPlans(q);
      q.setArray(
          1, c.createArrayOf("text", changes.stream().map(i -> batch.get(i).roomId()).toArray()));
      q.setArray(
          2,
          c.createArrayOf("bigint", changes.stream().map(i -> batch.get(i).targetSeq()).toArray()));
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          found.put(
              new Target(rs.getString(1), rs.getLong(2)),
              new Stored(Kind.of(rs.getString(3)), rs.getLong(4), rs.getBoolean(5)));
        }
      }
    }
    return found;
  }

  /** Which of the deleting users are an owner or admin of the room they delete in. */
  private static Set<Seat> moderators(Connection c, List<PendingWrite> batch, List<Integer> changes)
      throws SQLException {
    List<PendingWrite> deletes =
        changes.stream().map(batch::get).filter(p -> p.kind() == Kind.DELETE).toList();
    Set<Seat> found = new HashSet<>();
    if (deletes.isEmpty()) {
      return found;
    }
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT m.room_id, m.user_id FROM room_members m"
                + " JOIN unnest(?::text[], ?::bigint[]) AS d(r, u)"
                + " ON m.room_id = d.r AND m.user_id = d.u WHERE m.role IN ('owner', 'admin')")) {
      q.setArray(1, c.createArrayOf("text", deletes.stream().map(PendingWrite::roomId).toArray()));
      q.setArray(
          2, c.createArrayOf("bigint", deletes.stream().map(PendingWrite::userId).toArray()));
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          found.add(new Seat(rs.getString(1), rs.getLong(2)));
        }
      }
    }
    return found;
  }

  /**
   * Applies the batch's new edits and deletes to their messages: an edit sets the text and
   * edited_at (the last edit of a message in the batch wins); a delete sets deleted_at and removes
   * the text, from the message and from every edit row that carried it.
   */
  static void apply(
      Connection c, List<PendingWrite> batch, WriteResult[] results, int[] duplicateOf)
      throws SQLException {
    Map<Target, PendingWrite> edits = new LinkedHashMap<>();
    Map<Target, PendingWrite> deletes = new LinkedHashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      PendingWrite p = batch.get(i);
      WriteResult r = results[i];
      if (!p.isChange() || duplicateOf[i] >= 0 || r.message() == null || r.duplicate()) {
        continue;
      }
      (p.kind() == Kind.EDIT ? edits : deletes).put(new Target(p.roomId(), p.targetSeq()), p);
    }
    edits.keySet().removeAll(deletes.keySet());
    if (!edits.isEmpty()) {
      try (PreparedStatement s =
          c.prepareStatement(
              "UPDATE messages m SET content = e.t, edited_at = e.a::timestamptz"
                  + " FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[]) AS e(r, s, t, a)"
                  + " WHERE m.room_id = e.r AND m.seq = e.s AND m.kind = 'message'")) {
        BatchRows.customPlans(s);
        s.setArray(
            1,
            c.createArrayOf("text", edits.values().stream().map(PendingWrite::roomId).toArray()));
        s.setArray(
            2,
            c.createArrayOf(
                "bigint", edits.values().stream().map(PendingWrite::targetSeq).toArray()));
        s.setArray(
            3,
            c.createArrayOf("text", edits.values().stream().map(PendingWrite::content).toArray()));
        s.setArray(
            4,
            c.createArrayOf(
                "text", edits.values().stream().map(p -> p.sentAt().toString()).toArray()));
        s.executeUpdate();
      }
    }
    if (!deletes.isEmpty()) {
      try (PreparedStatement s =
          c.prepareStatement(
              "UPDATE messages m SET content = NULL, deleted_at ="
                  + " CASE WHEN m.kind = 'message' THEN e.a::timestamptz END"
                  + " FROM unnest(?::text[], ?::bigint[], ?::text[]) AS e(r, s, a)"
                  + " WHERE m.room_id = e.r AND ((m.seq = e.s AND m.kind = 'message')"
                  + " OR (m.kind = 'edit' AND m.target_seq = e.s))")) {
        BatchRows.customPlans(s);
        s.setArray(
            1,
            c.createArrayOf("text", deletes.values().stream().map(PendingWrite::roomId).toArray()));
        s.setArray(
            2,
            c.createArrayOf(
                "bigint", deletes.values().stream().map(PendingWrite::targetSeq).toArray()));
        s.setArray(
            3,
            c.createArrayOf(
                "text", deletes.values().stream().map(p -> p.sentAt().toString()).toArray()));
        s.executeUpdate();
      }
    }
  }
}
