package io.huddle.message;

import io.agroal.api.AgroalDataSource;
import io.huddle.common.HuddleConfig;
import io.opentelemetry.api.trace.Span;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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

  static final String NOT_STORED =
      "Message not stored: the database is unavailable. Send it again (with the same clientId)";

  private final AgroalDataSource dataSource;
  private final MessageTracing tracing;
  private final HuddleConfig.History config;
  private final BlockingQueue<PendingWrite> queue;
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
  public boolean submit(PendingWrite message) {
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
    List<PendingWrite> batch = new ArrayList<>(config.maxBatch());
    while (accepting || !queue.isEmpty()) {
      try {
        PendingWrite first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, config.maxBatch() - 1);
        Span span = tracing.commit(batch);
        List<WriteResult> results;
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
        for (PendingWrite p : batch) {
          complete(p, WriteResult.failed(NOT_STORED));
        }
      } finally {
        batch.clear();
      }
    }
  }

  private static void complete(PendingWrite pending, WriteResult result) {
    try {
      pending.onDone().accept(result);
    } catch (RuntimeException e) {
      Log.warn("A message callback failed", e);
    }
  }

  /** Retries a failing batch until the write timeout: a database restart is ridden through. */
  private List<WriteResult> writeWithRetry(List<PendingWrite> batch) throws InterruptedException {
    long deadline = System.nanoTime() + config.writeTimeout().toNanos();
    long backoffMs = 20;
    while (true) {
      try {
        List<WriteResult> results = write(batch);
        batches.incrementAndGet();
        return results;
      } catch (SQLException e) {
        if (!isTransient(e) && batch.size() > 1) {
          // A message the database refuses must not take its batch-mates down with it.
          Log.warnf("Batch of %d refused (%s); writing its messages one by one", batch.size(), e);
          List<WriteResult> results = new ArrayList<>(batch.size());
          for (PendingWrite p : batch) {
            results.add(writeWithRetry(List.of(p)).get(0));
          }
          return results;
        }
        if (!isTransient(e) || System.nanoTime() > deadline) {
          Log.errorf("Could not store %d message(s): %s", batch.size(), e.getMessage());
          return batch.stream().map(p -> WriteResult.failed(NOT_STORED)).toList();
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
  private List<WriteResult> write(List<PendingWrite> batch) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      List<WriteResult> results;
      if (batch.stream().anyMatch(PendingWrite::isChange)) {
        // An edit or delete is checked against the stored message: read and written in one
        // transaction that holds the room's lock.
        results = writeWithLookUp(c, batch);
        committed.addAndGet(
            results.stream().filter(r -> r.message() != null && !r.duplicate()).count());
        return results;
      }
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

  private List<WriteResult> writeWithLookUp(Connection c, List<PendingWrite> batch)
      throws SQLException {
    c.setAutoCommit(false);
    try {
      List<WriteResult> results = BatchRows.write(c, batch, true);
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

  private static boolean hasClientId(List<PendingWrite> batch) {
    return batch.stream().anyMatch(p -> p.clientId() != null);
  }

  /** Persistence switched off (benchmarks only): numbers come from memory, nothing is stored. */
  private List<WriteResult> numberInMemory(List<PendingWrite> batch) {
    List<WriteResult> results = new ArrayList<>(batch.size());
    for (PendingWrite p : batch) {
      long seq = memorySeq.computeIfAbsent(p.roomId(), r -> new AtomicLong()).incrementAndGet();
      results.add(new WriteResult(stored(p, seq), false));
    }
    committed.addAndGet(batch.size());
    batches.incrementAndGet();
    return results;
  }

  /** The row as written: an event names its target; a delete never carries text. */
  static StoredMessage stored(PendingWrite p, long seq) {
    boolean change = p.isChange();
    return new StoredMessage(
        p.roomId(),
        seq,
        p.userId(),
        p.username(),
        p.kind() == StoredMessage.Kind.DELETE ? null : p.content(),
        p.sentAt(),
        p.kind(),
        change ? p.targetSeq() : null,
        null,
        null,
        null);
  }
}
