package io.huddle.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.huddle.auth.AuthUser;
import io.huddle.common.HuddleConfig;
import io.huddle.message.MessageStore;
import io.huddle.message.MessageWriter;
import io.huddle.message.StoredMessage;
import io.huddle.room.RoomRecords.ClientResponse;
import io.quarkus.logging.Log;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
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
  /** Close code for a client that does not keep up (policy violation). */
  static final int SLOW_CONSUMER_CLOSE = 1008;

  /** Close code for server shutdown: reconnect elsewhere. */
  static final int GOING_AWAY = 1001;

  /** Close code for a client message over the size limit. */
  static final int MESSAGE_TOO_BIG = 1009;

  private final ConcurrentHashMap<String, RoomMembers> rooms = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Member> members = new ConcurrentHashMap<>();
  private final AtomicLong slowConsumerEvictions = new AtomicLong();
  private final Broker broker;
  private final ObjectMapper mapper;
  private final HuddleConfig config;
  private final MessageWriter writer;
  private final MessageStore store;
  private final ChatMetrics metrics;
  private final Optional<Duration> shutdownDelay;
  private volatile boolean draining;

  public Hub(
      Broker broker,
      ObjectMapper mapper,
      HuddleConfig config,
      MessageWriter writer,
      MessageStore store,
      ChatMetrics metrics,
      @ConfigProperty(name = "quarkus.shutdown.delay") Optional<Duration> shutdownDelay) {
    this.broker = broker;
    this.mapper = mapper;
    this.config = config;
    this.writer = writer;
    this.store = store;
    this.metrics = metrics;
    this.shutdownDelay = shutdownDelay;
  }

  @PostConstruct
  void start() {
    broker.subscribe(this::deliver);
    metrics.gauge("huddle.connections.open", "Open room WebSockets on this node", members::size);
    metrics.gauge("huddle.rooms.active", "Rooms with members on this node", rooms::size);
    metrics.gauge("huddle.messages.write.queue", "Messages waiting to be stored", writer::queued);
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
              member
                  .connection
                  .close(new CloseReason(GOING_AWAY, "Server shutting down"))
                  .subscribe()
                  .with(ok -> closed.countDown(), failure -> closed.countDown()));
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
    boolean[] firstOfUser = new boolean[1];
    rooms.compute(
        roomId,
        (id, room) -> {
          RoomMembers r = room == null ? new RoomMembers() : room;
          firstOfUser[0] = r.add(member);
          return r;
        });
    if (firstOfUser[0]) {
      broker.publish(ChatFrame.join(roomId, member.userId, user.username()));
    }
    sendHistory(member, since);
  }

  private void sendHistory(Member member, Long since) {
    HuddleConfig.History history = config.history();
    List<StoredMessage> messages;
    try {
      messages =
          !history.enabled()
              ? List.of()
              : since == null
                  ? store.latest(member.roomId, 0, history.joinLimit())
                  : store.latest(member.roomId, since, history.catchUpLimit());
    } catch (RuntimeException e) {
      Log.warnf("History of room %s unavailable: %s", member.roomId, e.getMessage());
      member.goLive(encode(ChatFrame.error("History is unavailable right now")), Long.MAX_VALUE);
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
    if (parsed.error() != null) {
      metrics.rejected(ChatMetrics.Rejection.INVALID_FRAME);
      member.offer(encode(ChatFrame.error(parsed.clientId(), parsed.error())));
      return;
    }
    String clientId = parsed.clientId();
    MessageWriter.Pending pending =
        new MessageWriter.Pending(
            member.roomId,
            member.user.id(),
            member.user.username(),
            parsed.content(),
            clientId,
            ChatFrame.now(),
            result -> stored(member, clientId, result));
    if (!writer.submit(pending)) {
      member.offer(
          encode(
              ChatFrame.error(clientId, "Server busy: message not stored, send it again later")));
    }
  }

  /** Runs on the writer thread after the commit, in seq order. */
  private void stored(Member member, String clientId, MessageWriter.Result result) {
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
    connection
        .close(new CloseReason(MESSAGE_TOO_BIG, "Message too big"))
        .subscribe()
        .with(ok -> {}, failure -> {});
  }

  /** Users connected to a room on this node, each once, in order of arrival. */
  public List<ClientResponse> clients(String roomId) {
    RoomMembers room = rooms.get(roomId);
    return room == null ? List.of() : room.users();
  }

  /** Open connections in a room on this node. */
  public int connections(String roomId) {
    RoomMembers room = rooms.get(roomId);
    return room == null ? 0 : room.snapshot().length;
  }

  public long slowConsumerEvictions() {
    return slowConsumerEvictions.get();
  }

  /** Receives every event from the broker and queues it, encoded once, to the room's members. */
  void deliver(ChatFrame frame) {
    RoomMembers room = rooms.get(frame.roomId());
    if (room == null) {
      return;
    }
    long start = System.nanoTime();
    String text = encode(frame);
    long seq = frame.seq() == null ? 0 : frame.seq();
    int fanOut;
    // One delivery at a time per room, so every member queues the room's frames in one order.
    synchronized (room) {
      Member[] targets = room.snapshot();
      for (Member member : targets) {
        member.offer(text, seq);
      }
      fanOut = targets.length;
    }
    metrics.delivered(fanOut);
    metrics.fanOut().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
  }

  private void remove(Member member) {
    boolean[] lastOfUser = new boolean[1];
    rooms.computeIfPresent(
        member.roomId,
        (id, room) -> {
          lastOfUser[0] = room.remove(member);
          return room.isEmpty() ? null : room;
        });
    if (lastOfUser[0]) {
      broker.publish(ChatFrame.leave(member.roomId, member.userId, member.user.username()));
    }
  }

  private void evictSlowConsumer(Member member) {
    slowConsumerEvictions.incrementAndGet();
    metrics.slowConsumer();
    Log.warnf(
        "Closing slow consumer %s (user %s, room %s): more than %d frames unsent",
        member.connection.id(), member.userId, member.roomId, config.chat().maxBacklog());
    // Leave the broadcast that found the overflow before announcing the leave.
    Runnable evict =
        () -> {
          if (members.remove(member.connection.id(), member)) {
            remove(member);
          }
          member
              .connection
              .close(new CloseReason(SLOW_CONSUMER_CLOSE, "Too slow: outbound backlog full"))
              .subscribe()
              .with(ok -> {}, failure -> {});
        };
    member.runOnContext(evict);
  }

  private String encode(ChatFrame frame) {
    try {
      return mapper.writeValueAsString(frame);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot encode frame", e);
    }
  }

  /**
   * Members of one room on this node; copy-on-write so broadcasts iterate without locking out
   * joins.
   */
  static final class RoomMembers {
    private volatile Member[] snapshot = new Member[0];
    private final Map<String, Integer> connectionsPerUser = new LinkedHashMap<>();
    private final Map<String, String> usernames = new LinkedHashMap<>();

    /**
     * @return true when this is the user's first connection in the room
     */
    synchronized boolean add(Member member) {
      Member[] next = java.util.Arrays.copyOf(snapshot, snapshot.length + 1);
      next[snapshot.length] = member;
      snapshot = next;
      usernames.putIfAbsent(member.userId, member.user.username());
      return connectionsPerUser.merge(member.userId, 1, Integer::sum) == 1;
    }

    /**
     * @return true when this was the user's last connection in the room
     */
    synchronized boolean remove(Member member) {
      List<Member> kept = new ArrayList<>(snapshot.length);
      boolean found = false;
      for (Member m : snapshot) {
        if (m == member) {
          found = true;
        } else {
          kept.add(m);
        }
      }
      if (!found) {
        return false;
      }
      snapshot = kept.toArray(new Member[0]);
      Integer left = connectionsPerUser.merge(member.userId, -1, Integer::sum);
      if (left != null && left <= 0) {
        connectionsPerUser.remove(member.userId);
        usernames.remove(member.userId);
        return true;
      }
      return false;
    }

    Member[] snapshot() {
      return snapshot;
    }

    synchronized boolean isEmpty() {
      return snapshot.length == 0;
    }

    synchronized List<ClientResponse> users() {
      List<ClientResponse> users = new ArrayList<>(usernames.size());
      usernames.forEach((id, name) -> users.add(new ClientResponse(id, name)));
      return users;
    }
  }
}
