package io.huddle.chat;

import io.huddle.auth.AuthUser;
import io.huddle.chat.NettyFrames.Outbound;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One open connection in a room, with its own bounded outbound queue. Frames are written on the
 * connection's own event loop; frames not yet written count against the bound, so a client that
 * stops reading fills only its own queue and is then evicted: when the queue reaches {@code
 * huddle.chat.max-backlog} frames, or when frames have waited with none written for {@code
 * huddle.chat.stall-timeout}. Bursts to a client that keeps reading (a group commit can hand it
 * hundreds of frames at once) do not trip it.
 *
 * <p>A new member starts out syncing: live frames are held back until its history frame is queued,
 * then those the history already covered (by seq) are dropped. Subscribing before reading the
 * history and skipping the overlap leaves neither a gap nor a duplicate.
 */
final class Member {
  final WebSocketConnection connection;
  final String roomId;
  final AuthUser user;
  final String userId;

  private final Context context;
  private final int maxBacklog;
  private final long stallNanos;
  private final Consumer<Member> onOverflow;
  private final ConcurrentLinkedQueue<Outbound> queue = new ConcurrentLinkedQueue<>();

  /** The connection's Netty context (fast path), or null to use the public API. */
  private final ChannelHandlerContext channel;

  private final ChannelFutureListener onWritten = future -> written();
  private final AtomicInteger backlog = new AtomicInteger();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicBoolean evicted = new AtomicBoolean();
  private final Runnable drain = this::drain;

  private record Held(Outbound frame, long seq) {}

  /** Frames held back while syncing; null once live. Guarded by {@code this}. */
  private List<Held> held = new ArrayList<>();

  private volatile boolean live;

  /** When a queued frame was last written (or the queue last started filling from empty). */
  private volatile long lastProgress = System.nanoTime();

  Member(
      WebSocketConnection connection,
      String roomId,
      AuthUser user,
      Context context,
      int maxBacklog,
      long stallNanos,
      Consumer<Member> onOverflow) {
    this.connection = connection;
    this.roomId = roomId;
    this.user = user;
    this.userId = String.valueOf(user.id());
    this.context = context;
    this.maxBacklog = maxBacklog;
    this.stallNanos = stallNanos;
    this.onOverflow = onOverflow;
    this.channel = NettyFrames.contextOf(connection);
  }

  /** Whether frames go straight to Netty (encoded once, one flush per batch). */
  boolean fastPath() {
    return channel != null;
  }

  /** Queues a frame for this connection only, outside the room's sequence; never blocks. */
  void offer(String frame) {
    offer(Outbound.of(frame), 0, null);
  }

  /**
   * Queues a frame encoded once for the whole room, carrying the room's {@code seq}. A drain this
   * needs is left to {@code drains} (when given), which schedules the drains of a whole broadcast
   * with one task per event loop.
   */
  void offer(Outbound frame, long seq, Drains drains) {
    if (!live) {
      synchronized (this) {
        if (held != null) {
          if (held.size() >= maxBacklog) {
            overflow();
          } else {
            held.add(new Held(frame, seq));
          }
          return;
        }
      }
    }
    enqueue(frame, drains);
  }

  /**
   * Members whose queues a broadcast filled, grouped by event loop: one task per loop drains them
   * all, instead of one task (and possibly one wake-up of the loop) per member.
   */
  static final class Drains {
    private final IdentityHashMap<Executor, List<Member>> byLoop = new IdentityHashMap<>(4);

    /** A fast-path member (it has a Netty context, hence an event loop) whose drain is due. */
    void add(Member member) {
      byLoop.computeIfAbsent(member.channel.executor(), loop -> new ArrayList<>()).add(member);
    }

    /** Hands each event loop its members' drains. */
    void schedule() {
      byLoop.forEach(
          (loop, due) ->
              loop.execute(
                  () -> {
                    for (Member m : due) {
                      m.drain();
                    }
                  }));
      byLoop.clear();
    }
  }

  /**
   * Queues the history frame, then the held-back live frames it does not cover, and goes live.
   *
   * @param coveredSeq the highest seq the history frame contains (or the client already has)
   */
  void goLive(String historyFrame, long coveredSeq) {
    synchronized (this) {
      enqueue(Outbound.of(historyFrame), null);
      for (Held h : held) {
        if (h.seq() == 0 || h.seq() > coveredSeq) {
          enqueue(h.frame(), null);
        }
      }
      held = null;
      live = true;
    }
  }

  private void enqueue(Outbound frame, Drains drains) {
    if (evicted.get()) {
      return;
    }
    int waiting = backlog.getAndIncrement();
    long now = System.nanoTime();
    if (waiting == 0) {
      lastProgress = now;
    } else if (waiting >= maxBacklog || (now - lastProgress > stallNanos && clientBlocked())) {
      // Past the bound, or with nothing written for the stall timeout while the socket itself is
      // full, the client is not reading. (A starved event loop leaves frames queued but the socket
      // writable: that is the server's delay, not the client's, and only the bound applies.)
      backlog.decrementAndGet();
      overflow();
      return;
    }
    queue.add(frame);
    if (drainScheduled.compareAndSet(false, true)) {
      if (drains != null && channel != null) {
        drains.add(this);
      } else {
        runOnContext(drain);
      }
    }
  }

  /** The socket's buffers are full (Netty's high-water mark): the peer is not reading. */
  private boolean clientBlocked() {
    return channel == null || !channel.channel().isWritable();
  }

  private void overflow() {
    if (evicted.compareAndSet(false, true)) {
      queue.clear();
      onOverflow.accept(this);
    }
  }

  /** Runs a task on the connection's own context (its event loop), after what is queued there. */
  void runOnContext(Runnable task) {
    if (channel != null) {
      channel.executor().execute(task);
    } else if (context != null) {
      context.runOnContext(ignored -> task.run());
    } else {
      task.run();
    }
  }

  int backlog() {
    return backlog.get();
  }

  private void written() {
    lastProgress = System.nanoTime();
    backlog.decrementAndGet();
  }

  private void drain() {
    drainScheduled.set(false);
    Outbound frame;
    int written = 0;
    while ((frame = queue.poll()) != null) {
      if (evicted.get()) {
        queue.clear();
        break;
      }
      if (channel != null) {
        channel.write(new TextWebSocketFrame(frame.utf8().duplicate())).addListener(onWritten);
        written++;
      } else {
        connection.sendText(frame.text()).subscribe().with(ok -> written(), failure -> written());
      }
    }
    if (written > 0) {
      // One flush (one system call) for everything this round queued.
      channel.flush();
    }
  }
}
