package io.huddle.message;

import io.agroal.api.AgroalDataSource;
import io.huddle.common.HuddleConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Group commit: one thread takes every message waiting in a bounded queue (up to {@code
 * huddle.history.max-batch}) and writes them in one transaction, advancing each room's {@code
 * last_seq} in that same transaction so sequence numbers are gapless. A message waits at most for
 * the transaction in progress; under load the batches grow instead of the transaction count.
 * Callbacks run on the writer thread after the commit, in sequence order, so "persist first, then
 * broadcast" holds. The queue is bounded: a full queue refuses new messages (back-pressure).
 */
@ApplicationScoped
@Startup
public class MessageWriter {

  /** A message waiting to be written, and who to tell when it is (or is not). */
  public record Pending(
      String roomId,
      long userId,
      String username,
      String content,
      String clientId,
      Instant sentAt,
      Consumer<Result> onDone) {}

  /**
   * The outcome: the stored message (duplicate = an earlier send with the same clientId), or an
   * error.
   */
  public record Result(StoredMessage message, boolean duplicate, String error) {
    static Result failed(String error) {
      return new Result(null, false, error);
    }
  }

  static final String NOT_STORED =
      "Message not stored: the database is unavailable. Send it again (with the same clientId)";

  private final AgroalDataSource dataSource;
  private final HuddleConfig.History config;
  private final BlockingQueue<Pending> queue;
  private final Map<String, AtomicLong> memorySeq = new HashMap<>();
  private final AtomicLong committed = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private volatile boolean accepting = true;
  private Thread thread;

  public MessageWriter(AgroalDataSource dataSource, HuddleConfig config) {
    this.dataSource = dataSource;
    this.config = config.history();
    this.queue = new ArrayBlockingQueue<>(this.config.queueCapacity());
  }

  @PostConstruct
  void start() {
    thread = new Thread(this::run, "huddle-message-writer");
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops taking messages and writes what is queued, so nothing accepted is lost on shutdown. */
  void stop(@Observes @Priority(10) ShutdownEvent event) {
    accepting = false;
    try {
      thread.join(config.writeTimeout().toMillis() + 5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Queues a message; false when the server is shutting down or the queue is full. */
  public boolean submit(Pending message) {
    return accepting && queue.offer(message);
  }

  public long committedMessages() {
    return committed.get();
  }

  public long committedBatches() {
    return batches.get();
  }

  public int queued() {
    return queue.size();
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(config.maxBatch());
    while (accepting || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, config.maxBatch() - 1);
        List<Result> results = config.enabled() ? writeWithRetry(batch) : numberInMemory(batch);
        for (int i = 0; i < batch.size(); i++) {
          complete(batch.get(i), results.get(i));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        Log.error("Message writer failed on a batch", e);
        for (Pending p : batch) {
          complete(p, Result.failed(NOT_STORED));
        }
      } finally {
        batch.clear();
      }
    }
  }

  private static void complete(Pending pending, Result result) {
    try {
      pending.onDone().accept(result);
    } catch (RuntimeException e) {
      Log.warn("A message callback failed", e);
    }
  }

  /** Retries a failing batch until the write timeout: a database restart is ridden through. */
  private List<Result> writeWithRetry(List<Pending> batch) throws InterruptedException {
    long deadline = System.nanoTime() + config.writeTimeout().toNanos();
    long backoffMs = 20;
    while (true) {
      try {
        List<Result> results = write(batch);
        batches.incrementAndGet();
        return results;
      } catch (SQLException e) {
        if (!isTransient(e) && batch.size() > 1) {
          // A message the database refuses must not take its batch-mates down with it.
          Log.warnf("Batch of %d refused (%s); writing its messages one by one", batch.size(), e);
          List<Result> results = new ArrayList<>(batch.size());
          for (Pending p : batch) {
            results.add(writeWithRetry(List.of(p)).get(0));
          }
          return results;
        }
        if (!isTransient(e) || System.nanoTime() > deadline) {
          Log.errorf("Could not store %d message(s): %s", batch.size(), e.getMessage());
          return batch.stream().map(p -> Result.failed(NOT_STORED)).toList();
        }
        Log.warnf("Storing messages failed (%s); retrying", e.getMessage());
        Thread.sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 500);
      }
    }
  }

  /** Connection trouble, shutdown, serialization or a racing duplicate: worth another try. */
  static boolean isTransient(SQLException e) {
    String state = e.getSQLState();
    return state == null
        || state.startsWith("08")
        || state.startsWith("57")
        || state.startsWith("53")
        || state.startsWith("40")
        || state.equals("23505");
  }

  private record Key(String roomId, long userId, String clientId) {}

  private List<Result> write(List<Pending> batch) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        List<Result> results = write(c, batch);
        c.commit();
        committed.addAndGet(results.stream().filter(r -> !r.duplicate()).count());
        return results;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException ignored) {
          // the connection is gone; the pool discards it
        }
        throw e;
      }
    }
  }

  private List<Result> write(Connection c, List<Pending> batch) throws SQLException {
    Result[] results = new Result[batch.size()];
    Map<Key, Long> existing = existingClientIds(c, batch);
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
          results[i] = new Result(stored(p, seq), true, null);
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
    Map<String, Long> nextSeq = reserve(c, newPerRoom);
    int fresh = 0;
    String[] rooms = new String[batch.size()];
    Long[] seqs = new Long[batch.size()];
    Long[] users = new Long[batch.size()];
    String[] contents = new String[batch.size()];
    String[] clientIds = new String[batch.size()];
    String[] sentAts = new String[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      Pending p = batch.get(i);
      if (results[i] != null || duplicateOf[i] >= 0) {
        continue;
      }
      long seq = nextSeq.merge(p.roomId(), 1L, Long::sum) - 1;
      results[i] = new Result(stored(p, seq), false, null);
      rooms[fresh] = p.roomId();
      seqs[fresh] = seq;
      users[fresh] = p.userId();
      contents[fresh] = p.content();
      clientIds[fresh] = p.clientId();
      sentAts[fresh] = p.sentAt().toString();
      fresh++;
    }
    for (int i = 0; i < batch.size(); i++) {
      if (duplicateOf[i] >= 0) {
        results[i] = new Result(results[duplicateOf[i]].message(), true, null);
      }
    }
    if (fresh > 0) {
      try (PreparedStatement insert =
          c.prepareStatement(
              "INSERT INTO messages (room_id, seq, user_id, content, client_id, sent_at)"
                  + " SELECT r, s, u, t, k, a::timestamptz FROM unnest(?::text[], ?::bigint[],"
                  + " ?::bigint[], ?::text[], ?::text[], ?::text[]) AS x(r, s, u, t, k, a)")) {
        insert.setArray(1, array(c, "text", rooms, fresh));
        insert.setArray(2, array(c, "bigint", seqs, fresh));
        insert.setArray(3, array(c, "bigint", users, fresh));
        insert.setArray(4, array(c, "text", contents, fresh));
        insert.setArray(5, array(c, "text", clientIds, fresh));
        insert.setArray(6, array(c, "text", sentAts, fresh));
        insert.executeUpdate();
      }
    }
    return List.of(results);
  }

  /**
   * Advances last_seq of each room; answers the first new seq per room. Locks rooms in id order.
   */
  private static Map<String, Long> reserve(Connection c, TreeMap<String, Integer> newPerRoom)
      throws SQLException {
    Map<String, Long> first = new HashMap<>();
    if (newPerRoom.isEmpty()) {
      return first;
    }
    String[] ids = newPerRoom.keySet().toArray(new String[0]);
    Long[] counts = newPerRoom.values().stream().map(Integer::longValue).toArray(Long[]::new);
    try (PreparedStatement lock =
            c.prepareStatement(
                "SELECT id FROM rooms WHERE id = ANY(?::text[]) ORDER BY id FOR UPDATE");
        PreparedStatement advance =
            c.prepareStatement(
                "UPDATE rooms r SET last_seq = r.last_seq + v.k"
                    + " FROM unnest(?::text[], ?::bigint[]) AS v(id, k)"
                    + " WHERE r.id = v.id RETURNING r.id, r.last_seq, v.k")) {
      lock.setArray(1, c.createArrayOf("text", ids));
      lock.executeQuery().close();
      advance.setArray(1, c.createArrayOf("text", ids));
      advance.setArray(2, c.createArrayOf("bigint", counts));
      try (ResultSet rs = advance.executeQuery()) {
        while (rs.next()) {
          first.put(rs.getString(1), rs.getLong(2) - rs.getLong(3) + 1);
        }
      }
    }
    if (first.size() != newPerRoom.size()) {
      throw new IllegalStateException("A room of this batch no longer exists");
    }
    return first;
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

  private static Array array(Connection c, String type, Object[] values, int length)
      throws SQLException {
    Object[] exact = length == values.length ? values : java.util.Arrays.copyOf(values, length);
    return c.createArrayOf(type, exact);
  }

  /** Persistence switched off (benchmarks only): numbers come from memory, nothing is stored. */
  private List<Result> numberInMemory(List<Pending> batch) {
    List<Result> results = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      long seq = memorySeq.computeIfAbsent(p.roomId(), r -> new AtomicLong()).incrementAndGet();
      results.add(new Result(stored(p, seq), false, null));
    }
    committed.addAndGet(batch.size());
    batches.incrementAndGet();
    return results;
  }

  private static StoredMessage stored(Pending p, long seq) {
    return new StoredMessage(p.roomId(), seq, p.userId(), p.username(), p.content(), p.sentAt());
  }
}
