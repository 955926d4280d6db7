package io.huddle.message;

import io.agroal.api.AgroalDataSource;
import io.huddle.common.HuddleConfig;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
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
import org.postgresql.PGStatement;

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
      SpanContext trace,
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
  private final MessageTracing tracing;
  private final HuddleConfig.History config;
  private final BlockingQueue<Pending> queue;
  private final Map<String, AtomicLong> memorySeq = new HashMap<>();
  private final AtomicLong committed = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong resendBatches = new AtomicLong();
  private volatile boolean accepting = true;
  private Thread thread;

  public MessageWriter(AgroalDataSource dataSource, HuddleConfig config, MessageTracing tracing) {
    this.dataSource = dataSource;
    this.tracing = tracing;
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

  /** Batches written a second time because they held a resend of a stored clientId. */
  public long resendBatches() {
    return resendBatches.get();
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
        Span span = tracing.commit(batch);
        List<Result> results;
        try {
          results = config.enabled() ? writeWithRetry(batch) : numberInMemory(batch);
        } catch (InterruptedException | RuntimeException e) {
          tracing.committed(span, e);
          throw e;
        }
        tracing.committed(span, null);
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

  /**
   * Writes a batch in one transaction. The usual batch carries no resend, so it goes out as one
   * round trip: the lock, the seq advance and the insert are pipelined without an explicit
   * transaction, and PostgreSQL runs such a pipeline as one implicit transaction, committed when it
   * ends (or rolled back whole when a statement fails). Only when the database reports an existing
   * clientId (a resend after a reconnect) is the batch written again, in an explicit transaction
   * that first looks up the stored messages.
   */
  private List<Result> write(List<Pending> batch) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      List<Result> results;
      try {
        results = write(c, batch, false);
      } catch (SQLException e) {
        if (!UNIQUE_VIOLATION.equals(e.getSQLState()) || !hasClientId(batch)) {
          throw e;
        }
        resendBatches.incrementAndGet();
        results = writeWithLookUp(c, batch);
      }
      committed.addAndGet(results.stream().filter(r -> !r.duplicate()).count());
      return results;
    }
  }

  private List<Result> writeWithLookUp(Connection c, List<Pending> batch) throws SQLException {
    c.setAutoCommit(false);
    try {
      List<Result> results = write(c, batch, true);
      c.commit();
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

  private static boolean hasClientId(List<Pending> batch) {
    return batch.stream().anyMatch(p -> p.clientId() != null);
  }

  /**
   * @param lookUp read the clientIds of the batch that are stored already (a resend), instead of
   *     letting the unique index refuse the insert
   */
  private List<Result> write(Connection c, List<Pending> batch, boolean lookUp)
      throws SQLException {
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
        results[i] = new Result(stored(batch.get(i), lastSeq.get(rooms[j]) - back[j]), false, null);
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

  private static final String UNIQUE_VIOLATION = "23505";

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
