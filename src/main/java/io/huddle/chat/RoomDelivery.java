package io.huddle.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.huddle.common.HuddleConfig;
import io.huddle.message.MessageStore;
import io.huddle.message.MessageTracing;
import io.huddle.message.StoredMessage;
import io.opentelemetry.api.trace.Span;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Receives every event from the broker and queues it, encoded once, to the room's local members.
 * Message frames are delivered in seq order exactly once per node: a seq already delivered is
 * dropped, a frame that overtook a lower seq is held briefly (Redis), and a gap that stays is
 * filled from PostgreSQL, where every lower seq is already committed.
 */
@ApplicationScoped
@Startup
public class RoomDelivery {
  private final Hub hub;
  private final Broker broker;
  private final Sessions sessions;
  private final RoomRemovals removals;
  private final TypingNotices typing;
  private final ObjectMapper mapper;
  private final HuddleConfig config;
  private final MessageStore store;
  private final ChatMetrics metrics;
  private final MessageTracing tracing;
  private final DirectNotifications directs;
  private final ReadNotifications reads;
  private final ModerationRelay moderation;

  /** Closes seq gaps that Redis did not fill within huddle.cluster.gap-wait. */
  private final ScheduledExecutorService gapTimer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "huddle-gap");
            t.setDaemon(true);
            return t;
          });

  RoomDelivery(
      Hub hub,
      Instance<Broker> brokers,
      Sessions sessions,
      RoomRemovals removals,
      TypingNotices typing,
      ObjectMapper mapper,
      HuddleConfig config,
      MessageStore store,
      ChatMetrics metrics,
      MessageTracing tracing,
      DirectNotifications directs,
      ReadNotifications reads,
      ModerationRelay moderation) {
    this.hub = hub;
    this.broker = brokers.get();
    this.sessions = sessions;
    this.removals = removals;
    this.typing = typing;
    this.mapper = mapper;
    this.config = config;
    this.store = store;
    this.metrics = metrics;
    this.tracing = tracing;
    this.directs = directs;
    this.reads = reads;
    this.moderation = moderation;
  }

  @PostConstruct
  void start() {
    broker.subscribe(
        frame -> {
          if (Sessions.SESSION_END.equals(frame.type())) {
            sessions.ended(frame);
          } else if (RoomRemovals.MEMBER_REMOVED.equals(frame.type())
              || RoomRemovals.MEMBER_LEFT.equals(frame.type())) {
            removals.removed(frame);
          } else if (ChatFrame.TYPING.equals(frame.type())) {
            typing.deliver(frame);
          } else if (ChatFrame.READ.equals(frame.type())) {
            reads.received(frame);
          } else if (ChatFrame.MODERATION.equals(frame.type())) {
            // Shown to the room first, then applied (a kicked user's sockets close after it).
            deliver(frame);
            moderation.apply(frame);
          } else {
            deliver(frame);
            directs.received(frame);
          }
        });
  }

  /**
   * Queues one event to the room's local members. Runs on the writer thread or the broker's
   * receiving thread, never on an event loop (a gap fill reads the database).
   */
  void deliver(ChatFrame frame) {
    RoomMembers room = hub.room(frame.roomId());
    if (room == null) {
      return;
    }
    Span span = tracing.broadcast(frame.roomId(), frame.seq());
    int fanOut = 0;
    try {
      fanOut = deliverTo(room, frame);
    } finally {
      tracing.broadcastDone(span, fanOut);
    }
  }

  /** Answers how many frames it queued (the room's members, plus any gap or held frames). */
  private int deliverTo(RoomMembers room, ChatFrame frame) {
    long start = System.nanoTime();
    int fanOut = 0;
    // One delivery at a time per room, so every member queues the room's frames in one order.
    synchronized (room) {
      if (frame.seq() != null) {
        long seq = frame.seq();
        if (seq <= room.lastSeq) {
          return 0;
        }
        if (seq > room.lastSeq + 1 && config.history().enabled()) {
          if (broker.replicated()) {
            // Another node's message is usually on its way through Redis: hold this one briefly
            // rather than read the database for every overtaken frame.
            holdAhead(room, frame);
            return 0;
          }
          fanOut += fillGap(room, frame.roomId(), seq);
        }
        room.lastSeq = seq;
        fanOut += offerAll(room, frame);
        fanOut += releaseAhead(room);
      } else {
        fanOut += offerAll(room, frame);
      }
    }
    metrics.delivered(fanOut);
    metrics.fanOut().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    return fanOut;
  }

  /** Keeps a frame that arrived before a lower seq; the gap is closed from PostgreSQL if needed. */
  private void holdAhead(RoomMembers room, ChatFrame frame) {
    room.ahead.put(frame.seq(), frame);
    armGapCheck(frame.roomId(), room);
  }

  private void armGapCheck(String roomId, RoomMembers room) {
    if (!room.gapCheckArmed) {
      room.gapCheckArmed = true;
      gapTimer.schedule(
          () -> closeGap(roomId, room),
          config.cluster().gapWait().toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  /** Delivers held frames that now follow on. Caller holds the room. */
  private int releaseAhead(RoomMembers room) {
    int fanOut = 0;
    while (!room.ahead.isEmpty() && room.ahead.firstKey() <= room.lastSeq + 1) {
      var next = room.ahead.pollFirstEntry();
      if (next.getKey() > room.lastSeq) {
        room.lastSeq = next.getKey();
        fanOut += offerAll(room, next.getValue());
      }
    }
    return fanOut;
  }

  /** The wait is over: what is still missing below the held frames comes from PostgreSQL. */
  private void closeGap(String roomId, RoomMembers room) {
    int fanOut = 0;
    synchronized (room) {
      room.gapCheckArmed = false;
      if (room.ahead.isEmpty()) {
        return;
      }
      long first = room.ahead.firstKey();
      if (first > room.lastSeq + 1) {
        fanOut += fillGap(room, roomId, first);
      }
      fanOut += releaseAhead(room);
      if (!room.ahead.isEmpty()) {
        armGapCheck(roomId, room);
      }
    }
    metrics.delivered(fanOut);
  }

  /** Delivers what PostgreSQL has above the room's last delivered seq (the catch-up sweep). */
  public void catchUp(String roomId, long storedSeq) {
    RoomMembers room = hub.room(roomId);
    if (room == null) {
      return;
    }
    int fanOut = 0;
    synchronized (room) {
      if (storedSeq > room.lastSeq) {
        fanOut = fillGap(room, roomId, storedSeq + 1);
        room.lastSeq = Math.max(room.lastSeq, storedSeq);
        fanOut += releaseAhead(room);
      }
    }
    metrics.delivered(fanOut);
  }

  /** Rooms with members here, and the last seq delivered in each. */
  public Map<String, Long> deliveredSeqs() {
    Map<String, Long> seqs = new HashMap<>();
    hub.forEachRoom(
        (id, room) -> {
          synchronized (room) {
            seqs.put(id, room.lastSeq);
          }
        });
    return seqs;
  }

  /** Delivers the stored messages strictly between the room's last seq and {@code before}. */
  private int fillGap(RoomMembers room, String roomId, long before) {
    List<StoredMessage> missing;
    try {
      missing = store.between(roomId, room.lastSeq, before);
    } catch (RuntimeException e) {
      Log.warnf("Could not fill seq gap %d..%d in room %s: %s", room.lastSeq, before, roomId, e);
      return 0;
    }
    metrics.gapFilled(missing.size());
    int fanOut = 0;
    for (StoredMessage m : missing) {
      fanOut += offerAll(room, ChatFrame.of(m));
      room.lastSeq = m.seq();
    }
    return fanOut;
  }

  private int offerAll(RoomMembers room, ChatFrame frame) {
    // Encoded once, to JSON and to UTF-8, for every member.
    NettyFrames.Outbound text = NettyFrames.Outbound.of(frame.toJson(mapper));
    long seq = frame.seq() == null ? 0 : frame.seq();
    Member[] targets = room.snapshot();
    Member.Drains drains = new Member.Drains();
    for (Member member : targets) {
      member.offer(text, seq, drains);
    }
    drains.schedule();
    return targets.length;
  }
}
