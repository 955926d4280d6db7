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
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        results = BatchRows.write(c, batch, false);
      } catch (SQLException e) {
        if (!BatchRows.UNIQUE_VIOLATION.equals(e.getSQLState()) || !hasClientId(batch)) {
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
      List<Result> results = BatchRows.write(c, batch, true);
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

  static StoredMessage stored(Pending p, long seq) {
    return new StoredMessage(p.roomId(), seq, p.userId(), p.username(), p.content(), p.sentAt());
  }
}
