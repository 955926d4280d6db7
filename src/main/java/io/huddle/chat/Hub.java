package io.huddle.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.huddle.auth.AuthUser;
import io.huddle.common.HuddleConfig;
import io.huddle.message.MessageStore;
import io.huddle.message.MessageTracing;
import io.huddle.message.MessageWriter;
import io.huddle.message.StoredMessage;
import io.huddle.room.RoomRecords.ClientResponse;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.quarkus.logging.Log;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Owns room membership on this node: room → members, and connection → member for clean-up. Events
 * travel through the {@link Broker}; what comes back is encoded once and queued to each local
 * member of the room. Nothing here blocks.
 */
@ApplicationScoped
@Startup
public class Hub {
  private final ConcurrentHashMap<String, RoomMembers> rooms = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Member> members = new ConcurrentHashMap<>();
  private final AtomicLong slowConsumerEvictions = new AtomicLong();
  private final Broker broker;
  private final ObjectMapper mapper;
  private final HuddleConfig config;
  private final MessageWriter writer;
  private final MessageStore store;
  private final ChatMetrics metrics;
  private final MessageTracing tracing;
  private final SocketQuota quota;
  private final Sessions sessions;
  private final Optional<Duration> shutdownDelay;
  private volatile boolean draining;

  /**
   * Presence changes (cluster-wide join/leave decisions may call Redis) and evictions run here, in
   * order, off the event loop.
   */
  /** Closes seq gaps that Redis did not fill within huddle.cluster.gap-wait. */
  private final ScheduledExecutorService gapTimer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "huddle-gap");
            t.setDaemon(true);
            return t;
          });

  private final ExecutorService presence =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "huddle-presence");
            t.setDaemon(true);
            return t;
          });

  public Hub(
      Instance<Broker> brokers,
      ObjectMapper mapper,
      HuddleConfig config,
      MessageWriter writer,
      MessageStore store,
      ChatMetrics metrics,
      MessageTracing tracing,
      SocketQuota quota,
      Sessions sessions,
      @ConfigProperty(name = "quarkus.shutdown.delay") Optional<Duration> shutdownDelay) {
    this.broker = brokers.get();
    this.mapper = mapper;
    this.config = config;
    this.writer = writer;
    this.store = store;
    this.metrics = metrics;
    this.tracing = tracing;
    this.quota = quota;
    this.sessions = sessions;
    this.shutdownDelay = shutdownDelay;
  }

  @PostConstruct
  void start() {
    broker.subscribe(
        frame -> {
          if (Sessions.SESSION_END.equals(frame.type())) {
            sessions.ended(frame);
          } else {
            deliver(frame);
          }
        });
    metrics.gauge("huddle.connections.open", "Open room WebSockets on this node", members::size);
    metrics.gauge("huddle.rooms.active", "Rooms with members on this node", rooms::size);
    // Visible in production (and checked by the packaged-server IT, JVM and native): how many
    // open sockets write pre-encoded frames straight to Netty rather than through the public API.
    metrics.gauge(
        "huddle.connections.fast.path",
        "Open room WebSockets written through the pre-encoded Netty path (the rest: public API)",
        () -> members.values().stream().filter(Member::fastPath).count());
    metrics.gauge("huddle.messages.write.queue", "Messages waiting to be stored", writer::queued);
    metrics.counter(
        "huddle.messages.write.batches",
        "Group-commit transactions (messages stored / batches = batch size)",
        writer,
        MessageWriter::committedBatches);
    metrics.counter(
        "huddle.messages.stored", "Messages stored", writer, MessageWriter::committedMessages);
    metrics.counter(
        "huddle.messages.write.resend.batches",
        "Group-commit batches written twice because they held a resend of a stored clientId",
        writer,
        MessageWriter::resendBatches);
  }

  /** False once shutdown has begun: new sockets are refused and readiness reports DOWN. */
  public boolean accepting() {
    return !draining;
  }

  /** The shutdown delay (if configured) starts: refuse new sockets, let the balancer notice. */
  void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
    draining = true;
  }

  /**
   * Quarkus waits for open requests (every WebSocket is one) before it fires ShutdownEvent, so the
   * sockets must be closed from the signal itself: a JVM shutdown hook runs as SIGTERM arrives,
   * refuses new sockets at once, and after the shutdown delay closes the open ones with 1001.
   */
  void onStart(@Observes StartupEvent event) {
    if (LaunchMode.current() == LaunchMode.NORMAL) {
      Runtime.getRuntime().addShutdownHook(new Thread(this::drainOnSignal, "huddle-drain"));
    }
  }

  private void drainOnSignal() {
    draining = true;
    try {
      Thread.sleep(shutdownDelay.orElse(Duration.ZERO).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeAll();
  }

  /** Runs before the message writer commits what is queued (a later observer). */
  void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
    draining = true;
    closeAll();
  }

  /** Closes every socket with 1001 so clients reconnect to another replica. */
  private void closeAll() {
    List<Member> open = new ArrayList<>(members.values());
    if (open.isEmpty()) {
      return;
    }
    Log.infof("Shutting down: closing %d WebSocket(s) with 1001", open.size());
    CountDownLatch closed = new CountDownLatch(open.size());
    for (Member member : open) {
      member.runOnContext(
          () ->
              SocketClose.quietly(
                  member.connection,
                  SocketClose.GOING_AWAY,
                  "Server shutting down",
                  closed::countDown));
    }
    try {
      closed.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Adds a connection to its room, sends it the room's history, then its live frames, with no gap
   * and no duplicate between the two. Blocking (reads PostgreSQL): call it from a worker thread.
   *
   * @param since the last seq the client has (catch-up after a reconnect), or null for the latest
   *     {@code huddle.history.join-limit} messages
   */
  public void join(String roomId, WebSocketConnection connection, AuthUser user, Long since) {
    Context context = Vertx.currentContext();
    Member member =
        new Member(
            connection,
            roomId,
            user,
            context,
            config.chat().maxBacklog(),
            config.chat().stallTimeout().toNanos(),
            this::evictSlowConsumer);
    members.put(connection.id(), member);
    // Where this node's delivery of the room starts if the room is new here: later seqs that do
    // not follow on are gaps, filled from PostgreSQL.
    long lastSeq = rooms.containsKey(roomId) ? UNKNOWN_SEQ : lastStoredSeq(roomId);
    boolean[] firstOfUser = new boolean[1];
    int[] size = new int[1];
    RoomMembers[] joined = new RoomMembers[1];
    rooms.compute(
        roomId,
        (id, room) -> {
          RoomMembers r = room == null ? new RoomMembers(Math.max(lastSeq, 0), lastSeq >= 0) : room;
          firstOfUser[0] = r.add(member);
          size[0] = r.snapshot().length;
          // A room new on this node read its seq before it existed here: a commit in between was
          // not delivered here, so only a room that was already here may skip the history read.
          joined[0] = room == null ? null : r;
          return r;
        });
    if (firstOfUser[0]) {
      boolean announce = size[0] <= config.chat().presenceNoticeLimit();
      presence.execute(
          () -> {
            if (broker.userJoined(roomId, member.userId, user.username()) && announce) {
              broker.publish(ChatFrame.join(roomId, member.userId, user.username()));
            }
          });
    }
    sendHistory(member, since, joined[0]);
    if (connection.isClosed()) {
      // Closed while @OnOpen ran: websockets-next may then never call @OnClose (see sweepClosed).
      leave(connection);
    }
  }

  /**
   * A client that closes while its @OnOpen still runs can make websockets-next fail to register the
   * close handler ("WebSocket is closed" in Endpoints.initialize), so @OnClose never comes. Without
   * this sweep such a member would stay in its room forever (and its user would never leave).
   */
  @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void sweepClosed() {
    for (Member member : members.values()) {
      if (member.connection.isClosed() && members.remove(member.connection.id(), member)) {
        Log.debugf("Removing connection %s closed without @OnClose", member.connection.id());
        remove(member);
      }
    }
  }

  /** A room's stored seq that could not be read (or was not read): never trusted. */
  private static final long UNKNOWN_SEQ = -1;

  private long lastStoredSeq(String roomId) {
    if (!config.history().enabled()) {
      return 0;
    }
    try {
      return store.lastSeq(roomId);
    } catch (RuntimeException e) {
      Log.warnf("Sequence of room %s unavailable: %s", roomId, e.getMessage());
      return UNKNOWN_SEQ;
    }
  }

  /**
   * Whether the history frame is certainly empty without asking PostgreSQL: the member is in the
   * room, so every seq above what the room has delivered reaches it live; when the room has
   * delivered nothing yet (an empty room), or the client already has everything delivered (a
   * reconnect with an up-to-date {@code ?since=}), there is nothing older to send. Saves a query
   * per handshake in reconnect storms.
   *
   * @param room the member's room if it was already active on this node, else null (read)
   */
  private static boolean nothingToRead(RoomMembers room, Long since) {
    if (room == null) {
      return false;
    }
    synchronized (room) {
      return room.seqKnown && (since == null ? room.lastSeq == 0 : since >= room.lastSeq);
    }
  }

  private void sendHistory(Member member, Long since, RoomMembers room) {
    HuddleConfig.History history = config.history();
    List<StoredMessage> messages;
    try {
      messages =
          !history.enabled() || nothingToRead(room, since)
              ? List.of()
              : since == null
                  ? store.latest(member.roomId, 0, history.joinLimit())
                  : store.latest(member.roomId, since, history.catchUpLimit());
    } catch (RuntimeException e) {
      // Without the history there is no gap-free start: say so, and close so the client
      // reconnects (with ?since=) once the database answers again.
      Log.warnf("History of room %s unavailable: %s", member.roomId, e.getMessage());
      member.goLive(
          encode(
              ChatFrame.error("History is unavailable right now: reconnect with ?since= shortly")),
          Long.MAX_VALUE);
      member.runOnContext(
          () ->
              SocketClose.quietly(
                  member.connection, SocketClose.INTERNAL_ERROR, "History unavailable, reconnect"));
      return;
    }
    List<ChatFrame> frames = messages.stream().map(ChatFrame::message).toList();
    long covered = messages.isEmpty() ? 0 : messages.get(messages.size() - 1).seq();
    Boolean truncated = null;
    if (since != null) {
      covered = Math.max(covered, since);
      // More was missed than this frame carries (bound or retention): page the rest over REST.
      truncated = !messages.isEmpty() && messages.get(0).seq() > since + 1;
    }
    member.goLive(encode(ChatFrame.history(member.roomId, frames, truncated)), covered);
  }

  /** Removes a connection; announces the user's leave when it was its last one in the room. */
  public void leave(WebSocketConnection connection) {
    Member member = members.remove(connection.id());
    if (member != null) {
      remove(member);
    }
  }

  /**
   * A text frame from a client: queue it for storage, or answer an error frame to the sender only.
   * Once stored, the sender gets an ack (when it sent a clientId) and the room gets the message.
   */
  public void receive(WebSocketConnection connection, String text) {
    Member member = members.get(connection.id());
    if (member == null) {
      return;
    }
    InboundFrames.Parsed parsed =
        InboundFrames.parse(text, mapper, config.chat().maxContentLength());
    if (!admitted(member, parsed.clientId())) {
      return;
    }
    if (parsed.refreshToken() != null) {
      sessions.refresh(
          connection, member.user.id(), parsed.refreshToken(), f -> member.offer(encode(f)));
      return;
    }
    if (parsed.error() != null) {
      metrics.rejected(ChatMetrics.Rejection.INVALID_FRAME);
      member.offer(encode(ChatFrame.error(parsed.clientId(), parsed.error())));
      return;
    }
    String clientId = parsed.clientId();
    Span span = tracing.received(member.roomId, member.user.id(), clientId);
    MessageWriter.Pending pending =
        new MessageWriter.Pending(
            member.roomId,
            member.user.id(),
            member.user.username(),
            parsed.content(),
            clientId,
            ChatFrame.now(),
            MessageTracing.contextOf(span),
            result -> stored(member, clientId, result, span));
    if (!writer.submit(pending)) {
      metrics.rejected(ChatMetrics.Rejection.OVERLOADED);
      tracing.finished(span, null, false, "overloaded");
      member.offer(
          encode(
              ChatFrame.error(clientId, "Server busy: message not stored, send it again later")));
      return;
    }
    metrics.received();
  }

  /**
   * Whether the sender's rate limits let this frame through (every text frame counts, valid or
   * not). A refused one gets an error frame with {@code retryAfterMs}; a sender that ignores too
   * many refusals in a row is closed with 1008.
   */
  private boolean admitted(Member member, String clientId) {
    SocketQuota.Verdict verdict = quota.message(member.connection);
    if (verdict == SocketQuota.Verdict.ALLOW) {
      return true;
    }
    metrics.rejected(ChatMetrics.Rejection.RATE_LIMITED);
    if (verdict instanceof SocketQuota.Verdict.Refuse refuse) {
      member.offer(encode(ChatFrame.rateLimited(clientId, refuse.retryAfterMs())));
    } else if (verdict instanceof SocketQuota.Verdict.Close) {
      SocketClose.quietly(member.connection, SocketClose.POLICY_VIOLATION, "Rate limit exceeded");
    }
    return false;
  }

  /** Runs on the writer thread after the commit, in seq order. */
  private void stored(Member member, String clientId, MessageWriter.Result result, Span span) {
    try (Scope scope = tracing.activate(span)) {
      storedInScope(member, clientId, result);
    } finally {
      StoredMessage message = result.message();
      tracing.finished(
          span, message == null ? null : message.seq(), result.duplicate(), result.error());
    }
  }

  private void storedInScope(Member member, String clientId, MessageWriter.Result result) {
    if (result.error() != null) {
      metrics.rejected(ChatMetrics.Rejection.NOT_STORED);
      member.offer(encode(ChatFrame.error(clientId, result.error())));
      return;
    }
    StoredMessage message = result.message();
    if (clientId != null) {
      member.offer(
          encode(ChatFrame.ack(message.roomId(), clientId, message.seq(), result.duplicate())));
    }
    if (!result.duplicate()) {
      broker.publish(ChatFrame.message(message));
    }
  }

  /** Answers an error frame to one connection, counting the refused frame. */
  public void reject(WebSocketConnection connection, ChatMetrics.Rejection reason, String error) {
    metrics.rejected(reason);
    Member member = members.get(connection.id());
    if (member != null) {
      member.offer(encode(ChatFrame.error(error)));
    }
  }

  /** A frame over the size limit: counted, and the connection closed with 1009. */
  public void tooLarge(WebSocketConnection connection) {
    metrics.rejected(ChatMetrics.Rejection.TOO_LARGE);
    SocketClose.quietly(connection, SocketClose.MESSAGE_TOO_BIG, "Message too big");
  }

  /** Users connected to a room on any node, each once. Blocking (may ask Redis). */
  public List<ClientResponse> clients(String roomId) {
    RoomMembers room = rooms.get(roomId);
    return broker.clients(roomId, room == null ? List.of() : room.users());
  }

  /** Open connections in a room on this node that write through the fast path. */
  int fastPathConnections(String roomId) {
    RoomMembers room = rooms.get(roomId);
    int fast = 0;
    for (Member m : room == null ? new Member[0] : room.snapshot()) {
      fast += m.fastPath() ? 1 : 0;
    }
    return fast;
  }

  /** Open connections in a room on this node. */
  public int connections(String roomId) {
    RoomMembers room = rooms.get(roomId);
    return room == null ? 0 : room.snapshot().length;
  }

  public long slowConsumerEvictions() {
    return slowConsumerEvictions.get();
  }

  /**
   * Receives every event from the broker and queues it, encoded once, to the room's local members.
   * Message frames are delivered in seq order exactly once per node: a seq already delivered is
   * dropped, and a jump (another node's message not seen yet) is filled from PostgreSQL first,
   * where every lower seq is already committed. Runs on the writer thread or the broker's receiving
   * thread, never on an event loop (a gap fill reads the database).
   */
  void deliver(ChatFrame frame) {
    RoomMembers room = rooms.get(frame.roomId());
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
    RoomMembers room = rooms.get(roomId);
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
    Map<String, Long> seqs = new java.util.HashMap<>();
    rooms.forEach(
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
      fanOut += offerAll(room, ChatFrame.message(m));
      room.lastSeq = m.seq();
    }
    return fanOut;
  }

  private int offerAll(RoomMembers room, ChatFrame frame) {
    // Encoded once, to JSON and to UTF-8, for every member.
    NettyFrames.Outbound text = NettyFrames.Outbound.of(encode(frame));
    long seq = frame.seq() == null ? 0 : frame.seq();
    Member[] targets = room.snapshot();
    Member.Drains drains = new Member.Drains();
    for (Member member : targets) {
      member.offer(text, seq, drains);
    }
    drains.schedule();
    return targets.length;
  }

  private void remove(Member member) {
    boolean[] lastOfUser = new boolean[1];
    int[] size = new int[1];
    rooms.computeIfPresent(
        member.roomId,
        (id, room) -> {
          lastOfUser[0] = room.remove(member);
          size[0] = room.snapshot().length + 1;
          return room.isEmpty() ? null : room;
        });
    if (lastOfUser[0]) {
      boolean announce = size[0] <= config.chat().presenceNoticeLimit();
      presence.execute(
          () -> {
            if (broker.userLeft(member.roomId, member.userId) && announce) {
              broker.publish(ChatFrame.leave(member.roomId, member.userId, member.user.username()));
            }
          });
    }
  }

  private void evictSlowConsumer(Member member) {
    slowConsumerEvictions.incrementAndGet();
    metrics.slowConsumer();
    Log.warnf(
        "Closing slow consumer %s (user %s, room %s): %d frames unsent (bound %d frames, or none"
            + " written for %s)",
        member.connection.id(),
        member.userId,
        member.roomId,
        member.backlog(),
        config.chat().maxBacklog(),
        config.chat().stallTimeout());
    // Not inside the broadcast that found the overflow (it holds the room), and off the event loop.
    presence.execute(
        () -> {
          if (members.remove(member.connection.id(), member)) {
            remove(member);
          }
          member.runOnContext(
              () ->
                  SocketClose.quietly(
                      member.connection,
                      SocketClose.POLICY_VIOLATION,
                      "Too slow: outbound backlog full"));
        });
  }

  private String encode(ChatFrame frame) {
    try {
      return mapper.writeValueAsString(frame);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot encode frame", e);
    }
  }
}
