package io.huddle.chat;

import io.huddle.auth.AuthUser;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Context;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One open connection in a room, with its own bounded outbound queue. Frames are written on the
 * connection's own event loop; frames not yet written count against the bound, so a client that
 * stops reading fills only its own queue and is then evicted.
 */
final class Member {
  final WebSocketConnection connection;
  final String roomId;
  final AuthUser user;
  final String userId;

  private final Context context;
  private final int maxBacklog;
  private final Consumer<Member> onOverflow;
  private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger backlog = new AtomicInteger();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicBoolean evicted = new AtomicBoolean();
  private final Runnable drain = this::drain;

  Member(
      WebSocketConnection connection,
      String roomId,
      AuthUser user,
      Context context,
      int maxBacklog,
      Consumer<Member> onOverflow) {
    this.connection = connection;
    this.roomId = roomId;
    this.user = user;
    this.userId = String.valueOf(user.id());
    this.context = context;
    this.maxBacklog = maxBacklog;
    this.onOverflow = onOverflow;
  }

  /** Queues a pre-encoded frame; never blocks. */
  void offer(String frame) {
    if (evicted.get()) {
      return;
    }
    if (backlog.incrementAndGet() > maxBacklog) {
      backlog.decrementAndGet();
      if (evicted.compareAndSet(false, true)) {
        queue.clear();
        onOverflow.accept(this);
      }
      return;
    }
    queue.add(frame);
    if (drainScheduled.compareAndSet(false, true)) {
      runOnContext(drain);
    }
  }

  /** Runs a task on the connection's own context (its event loop), after what is queued there. */
  void runOnContext(Runnable task) {
    if (context != null) {
      context.runOnContext(ignored -> task.run());
    } else {
      task.run();
    }
  }

  int backlog() {
    return backlog.get();
  }

  boolean evicted() {
    return evicted.get();
  }

  private void drain() {
    drainScheduled.set(false);
    String frame;
    while ((frame = queue.poll()) != null) {
      if (evicted.get()) {
        queue.clear();
        return;
      }
      connection
          .sendText(frame)
          .subscribe()
          .with(ok -> backlog.decrementAndGet(), failure -> backlog.decrementAndGet());
    }
  }
}
