package io.huddle.message;

import io.huddle.message.MessageWriter.Pending;
import io.huddle.message.MessageWriter.Result;
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
   *     letting the unique index refuse the insert
   */
  static List<Result> write(Connection c, List<Pending> batch, boolean lookUp) throws SQLException {
    Result[] results = new Result[batch.size()];
    Map<Key, Long> existing = lookUp ? existingClientIds(c, batch) : Map.of();
    // First occurrence of a clientId in this batch is the message; later ones are its duplicates.
    Map<Key, Integer> firstInBatch = new HashMap<>();
    int[] duplicateOf = new int[batch.size()];
    TreeMap<String, Integer> newPerRoom = new TreeMap<>();
    for (int i = 0; i < batch.size(); i++) {
      Pending p = batch.get(i);
      duplicateOf[i] = -1;
      if (p.clientId() != null) {
        Key key = new Key(p.roomId(), p.userId(), p.clientId());
        Long seq = existing.get(key);
        if (seq != null) {
          results[i] = new Result(MessageWriter.stored(p, seq), true, null);
          continue;
        }
        Integer first = firstInBatch.putIfAbsent(key, i);
        if (first != null) {
          duplicateOf[i] = first;
          continue;
        }
      }
      newPerRoom.merge(p.roomId(), 1, Integer::sum);
    }
    if (!newPerRoom.isEmpty()) {
      // Each new message's distance from its room's new last_seq: the room's k new messages get
      // last_seq-(k-1) .. last_seq, in batch order.
      Map<String, Integer> left = new HashMap<>(newPerRoom);
      int fresh = newPerRoom.values().stream().mapToInt(Integer::intValue).sum();
      int[] index = new int[fresh];
      String[] rooms = new String[fresh];
      Long[] back = new Long[fresh];
      Long[] users = new Long[fresh];
      String[] contents = new String[fresh];
      String[] clientIds = new String[fresh];
      String[] sentAts = new String[fresh];
      int n = 0;
      for (int i = 0; i < batch.size(); i++) {
        Pending p = batch.get(i);
        if (results[i] != null || duplicateOf[i] >= 0) {
          continue;
        }
        index[n] = i;
        rooms[n] = p.roomId();
        back[n] = (long) left.merge(p.roomId(), -1, Integer::sum);
        users[n] = p.userId();
        contents[n] = p.content();
        clientIds[n] = p.clientId();
        sentAts[n] = p.sentAt().toString();
        n++;
      }
      Map<String, Long> lastSeq =
          reserveAndInsert(c, newPerRoom, rooms, back, users, contents, clientIds, sentAts);
      for (int j = 0; j < fresh; j++) {
        int i = index[j];
        results[i] =
            new Result(
                MessageWriter.stored(batch.get(i), lastSeq.get(rooms[j]) - back[j]), false, null);
      }
    }
    for (int i = 0; i < batch.size(); i++) {
      if (duplicateOf[i] >= 0) {
        results[i] = new Result(results[duplicateOf[i]].message(), true, null);
      }
    }
    return List.of(results);
  }

  /**
   * One round trip: locks the batch's rooms in id order (so two replicas never deadlock), advances
   * each room's last_seq by its count of new messages, and inserts the messages numbered from the
   * new last_seq. Answers the new last_seq per room.
   */
  private static Map<String, Long> reserveAndInsert(
      Connection c,
      TreeMap<String, Integer> newPerRoom,
      String[] rooms,
      Long[] back,
      Long[] users,
      String[] contents,
      String[] clientIds,
      String[] sentAts)
      throws SQLException {
    String[] ids = newPerRoom.keySet().toArray(new String[0]);
    Long[] counts = newPerRoom.values().stream().map(Integer::longValue).toArray(Long[]::new);
    Map<String, Long> last = new HashMap<>();
    try (PreparedStatement s = c.prepareStatement(RESERVE_AND_INSERT)) {
      customPlans(s);
      s.setArray(1, c.createArrayOf("text", ids));
      s.setArray(2, c.createArrayOf("text", ids));
      s.setArray(3, c.createArrayOf("bigint", counts));
      s.setArray(4, c.createArrayOf("text", rooms));
      s.setArray(5, c.createArrayOf("bigint", back));
      s.setArray(6, c.createArrayOf("bigint", users));
      s.setArray(7, c.createArrayOf("text", contents));
      s.setArray(8, c.createArrayOf("text", clientIds));
      s.setArray(9, c.createArrayOf("text", sentAts));
      s.execute(); // the lock
      if (!s.getMoreResults()) {
        throw new IllegalStateException("No result from the seq update");
      }
      try (ResultSet rs = s.getResultSet()) {
        while (rs.next()) {
          last.put(rs.getString(1), rs.getLong(2));
        }
      }
      // No check of the insert's count here: the pipeline has committed by now. Every message is
      // inserted or the whole pipeline failed (a missing room fails it through NOT NULL, below).
    }
    return last;
  }

  /**
   * Three statements, sent together (pgjdbc pipelines them): lock, advance, insert. A message whose
   * room is gone gets a NULL seq, so the NOT NULL constraint fails the whole pipeline instead of
   * the row going missing.
   */
  private static final String RESERVE_AND_INSERT =
      "SELECT id FROM rooms WHERE id = ANY(?::text[]) ORDER BY id FOR UPDATE;"
          + " UPDATE rooms r SET last_seq = r.last_seq + v.k"
          + " FROM unnest(?::text[], ?::bigint[]) AS v(id, k)"
          + " WHERE r.id = v.id RETURNING r.id, r.last_seq;"
          + " INSERT INTO messages (room_id, seq, user_id, content, client_id, sent_at)"
          + " SELECT x.r, rm.last_seq - x.b, x.u, x.t, x.k, x.a::timestamptz"
          + " FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[])"
          + " AS x(r, b, u, t, k, a) LEFT JOIN rooms rm ON rm.id = x.r";

  static final String UNIQUE_VIOLATION = "23505";

  /**
   * Plans each execution for its actual arrays. A plan cached by the server (pgjdbc prepares a
   * statement on the server after five uses) was seen to keep a sequential scan of messages chosen
   * while the table was small, turning every batch into a scan of the whole table.
   */
  private static void customPlans(PreparedStatement statement) throws SQLException {
    statement.unwrap(PGStatement.class).setPrepareThreshold(0);
  }

  private static Map<Key, Long> existingClientIds(Connection c, List<Pending> batch)
      throws SQLException {
    List<Pending> keyed = batch.stream().filter(p -> p.clientId() != null).toList();
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
      q.setArray(1, c.createArrayOf("text", keyed.stream().map(Pending::roomId).toArray()));
      q.setArray(2, c.createArrayOf("bigint", keyed.stream().map(Pending::userId).toArray()));
      q.setArray(3, c.createArrayOf("text", keyed.stream().map(Pending::clientId).toArray()));
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          found.put(new Key(rs.getString(1), rs.getLong(2), rs.getString(3)), rs.getLong(4));
        }
      }
    }
    return found;
  }
}
