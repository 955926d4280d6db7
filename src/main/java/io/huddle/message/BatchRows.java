package io.huddle.message;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.postgresql.PGStatement;

/**
 * The SQL side of one group-commit batch: which of its messages are new (and which are resends of a
 * stored clientId or repeats within the batch), the rows to insert, and the statements that number
 * and insert them. {@link MessageWriter} owns the queue, the connection and the retries.
 */
final class BatchRows {
  private BatchRows() {}

  private record Key(String roomId, long userId, String clientId) {}

  /**
   * @param lookUp read the clientIds of the batch that are stored already (a resend), instead of
   *     letting the unique index refuse the insert; required when the batch holds an edit or delete
   *     (its connection is then in a transaction)
   */
  static List<WriteResult> write(Connection c, List<PendingWrite> batch, boolean lookUp)
      throws SQLException {
    WriteResult[] results = new WriteResult[batch.size()];
    boolean changes = batch.stream().anyMatch(PendingWrite::isChange);
    if (changes) {
      BatchChanges.lockRooms(c, batch);
    }
    Map<Key, Long> existing = lookUp ? existingClientIds(c, batch) : Map.of();
    // First occurrence of a clientId in this batch is the message; later ones are its duplicates.
    Map<Key, Integer> firstInBatch = new HashMap<>();
    int[] duplicateOf = new int[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      PendingWrite p = batch.get(i);
      duplicateOf[i] = -1;
      if (p.clientId() != null) {
        Key key = new Key(p.roomId(), p.userId(), p.clientId());
        Long seq = existing.get(key);
        if (seq != null) {
          results[i] = new WriteResult(MessageWriter.stored(p, seq), true);
          continue;
        }
        Integer first = firstInBatch.putIfAbsent(key, i);
        if (first != null) {
          duplicateOf[i] = first;
        }
      }
    }
    if (changes) {
      BatchChanges.refuse(c, batch, results, duplicateOf);
    }
    TreeMap<String, Integer> newPerRoom = new TreeMap<>();
    for (int i = 0; i < batch.size(); i++) {
      if (results[i] == null && duplicateOf[i] < 0) {
        newPerRoom.merge(batch.get(i).roomId(), 1, Integer::sum);
      }
    }
    if (!newPerRoom.isEmpty()) {
      insert(c, batch, results, duplicateOf, newPerRoom);
    }
    if (changes) {
      BatchChanges.apply(c, batch, results, duplicateOf);
    }
    for (int i = 0; i < batch.size(); i++) {
      if (duplicateOf[i] >= 0) {
        WriteResult first = results[duplicateOf[i]];
        results[i] = first.message() == null ? first : new WriteResult(first.message(), true);
      }
    }
    return List.of(results);
  }

  /** Numbers and inserts the batch's new rows, filling in their results. */
  private static void insert(
      Connection c,
      List<PendingWrite> batch,
      WriteResult[] results,
      int[] duplicateOf,
      TreeMap<String, Integer> newPerRoom)
      throws SQLException {
    // Each new row's distance from its room's new last_seq: the room's k new rows get
    // last_seq-(k-1) .. last_seq, in batch order.
    Map<String, Integer> left = new HashMap<>(newPerRoom);
    int fresh = newPerRoom.values().stream().mapToInt(Integer::intValue).sum();
    int[] index = new int[fresh];
    Rows rows = new Rows(fresh);
    int n = 0;
    for (int i = 0; i < batch.size(); i++) {
      PendingWrite p = batch.get(i);
      if (results[i] != null || duplicateOf[i] >= 0) {
        continue;
      }
      index[n] = i;
      rows.rooms[n] = p.roomId();
      rows.back[n] = (long) left.merge(p.roomId(), -1, Integer::sum);
      rows.users[n] = p.userId();
      rows.contents[n] = p.kind() == StoredMessage.Kind.DELETE ? null : p.content();
      rows.clientIds[n] = p.clientId();
      rows.sentAts[n] = p.sentAt().toString();
      rows.kinds[n] = p.kind().column();
      rows.targets[n] = p.isChange() ? p.targetSeq() : null;
      n++;
    }
    Map<String, Long> lastSeq = reserveAndInsert(c, newPerRoom, rows);
    for (int j = 0; j < fresh; j++) {
      int i = index[j];
      results[i] =
          new WriteResult(
              MessageWriter.stored(batch.get(i), lastSeq.get(rows.rooms[j]) - rows.back[j]), false);
    }
  }

  /** The columns of the rows to insert, one array each (sent as PostgreSQL arrays). */
  private static final class Rows {
    final String[] rooms;
    final Long[] back;
    final Long[] users;
    final String[] contents;
    final String[] clientIds;
    final String[] sentAts;
    final String[] kinds;
    final Long[] targets;

    Rows(int n) {
      rooms = new String[n];
      back = new Long[n];
      users = new Long[n];
      contents = new String[n];
      clientIds = new String[n];
      sentAts = new String[n];
      kinds = new String[n];
      targets = new Long[n];
    }
  }

  /**
   * One round trip: advances each room's last_seq by its count of new rows and inserts the rows
   * numbered from the new last_seq; when the batch spans several rooms, first locks them in id
   * order (so two replicas never deadlock). Answers the new last_seq per room.
   */
  private static Map<String, Long> reserveAndInsert(
      Connection c, TreeMap<String, Integer> newPerRoom, Rows rows) throws SQLException {
    String[] ids = newPerRoom.keySet().toArray(new String[0]);
    Long[] counts = newPerRoom.values().stream().map(Integer::longValue).toArray(Long[]::new);
    // One room: the UPDATE's own row lock is the only lock taken, so there is no order to keep.
    boolean lockFirst = ids.length > 1;
    Map<String, Long> last = new HashMap<>();
    try (PreparedStatement s =
        c.prepareStatement(lockFirst ? LOCK_ROOMS + ADVANCE_AND_INSERT : ADVANCE_AND_INSERT)) {
      customPlans(s);
      int p = 1;
      if (lockFirst) {
        s.setArray(p++, c.createArrayOf("text", ids));
      }
      s.setArray(p++, c.createArrayOf("text", ids));
      s.setArray(p++, c.createArrayOf("bigint", counts));
      s.setArray(p++, c.createArrayOf("text", rows.rooms));
      s.setArray(p++, c.createArrayOf("bigint", rows.back));
      s.setArray(p++, c.createArrayOf("bigint", rows.users));
      s.setArray(p++, c.createArrayOf("text", rows.contents));
      s.setArray(p++, c.createArrayOf("text", rows.clientIds));
      s.setArray(p++, c.createArrayOf("text", rows.sentAts));
      s.setArray(p++, c.createArrayOf("text", rows.kinds));
      s.setArray(p, c.createArrayOf("bigint", rows.targets));
      boolean updateResult = s.execute();
      if (lockFirst) {
        updateResult = s.getMoreResults(); // past the lock's rows
      }
      if (!updateResult) {
        throw new IllegalStateException("No result from the seq update");
      }
      try (ResultSet rs = s.getResultSet()) {
        while (rs.next()) {
          last.put(rs.getString(1), rs.getLong(2));
        }
      }
      // No check of the insert's count here: the pipeline has committed by now. Every row is
      // inserted or the whole pipeline failed (a missing room fails it through NOT NULL, below).
    }
    return last;
  }

  /** The batch's rooms, locked in id order: sent before {@link #ADVANCE_AND_INSERT}. */
  private static final String LOCK_ROOMS =
      "SELECT id FROM rooms WHERE id = ANY(?::text[]) ORDER BY id FOR UPDATE;";

  /**
   * Two statements, sent together (pgjdbc pipelines them): advance, insert. A message whose room is
   * gone gets a NULL seq, so the NOT NULL constraint fails the whole pipeline instead of the row
   * going missing.
   */
  private static final String ADVANCE_AND_INSERT =
      " UPDATE rooms r SET last_seq = r.last_seq + v.k"
          + " FROM unnest(?::text[], ?::bigint[]) AS v(id, k)"
          + " WHERE r.id = v.id RETURNING r.id, r.last_seq;"
          + " INSERT INTO messages"
          + " (room_id, seq, user_id, content, client_id, sent_at, kind, target_seq)"
          + " SELECT x.r, rm.last_seq - x.b, x.u, x.t, x.k, x.a::timestamptz, x.d, x.g"
          + " FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[],"
          + " ?::text[], ?::bigint[]) AS x(r, b, u, t, k, a, d, g)"
          + " LEFT JOIN rooms rm ON rm.id = x.r";

  static final String UNIQUE_VIOLATION = "23505";

  /**
   * Plans each execution for its actual arrays. A plan cached by the server (pgjdbc prepares a
   * statement on the server after five uses) was seen to keep a sequential scan of messages chosen
   * while the table was small, turning every batch into a scan of the whole table.
   */
  static void customPlans(PreparedStatement statement) throws SQLException {
    statement.unwrap(PGStatement.class).setPrepareThreshold(0);
  }

  private static Map<Key, Long> existingClientIds(Connection c, List<PendingWrite> batch)
      throws SQLException {
    List<PendingWrite> keyed = batch.stream().filter(p -> p.clientId() != null).toList();
    Map<Key, Long> found = new HashMap<>();
    if (keyed.isEmpty()) {
      return found;
    }
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT m.room_id, m.user_id, m.client_id, m.seq FROM messages m"
                + " JOIN unnest(?::text[], ?::bigint[], ?::text[]) AS k(r, u, c)"
                + " ON m.room_id = k.r AND m.user_id = k.u AND m.client_id = k.c")) {
      customPlans(q);
      q.setArray(1, c.createArrayOf("text", keyed.stream().map(PendingWrite::roomId).toArray()));
      q.setArray(2, c.createArrayOf("bigint", keyed.stream().map(PendingWrite::userId).toArray()));
      q.setArray(3, c.createArrayOf("text", keyed.stream().map(PendingWrite::clientId).toArray()));
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          found.put(new Key(rs.getString(1), rs.getLong(2), rs.getString(3)), rs.getLong(4));
        }
      }
    }
    return found;
  }
}
