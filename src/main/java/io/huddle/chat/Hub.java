package io.huddle.chat;

import io.huddle.auth.AuthUser;
import io.huddle.common.HuddleConfig;
import io.huddle.room.RoomRecords.ClientResponse;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Owns room membership on this node: room → members, and connection → member for clean-up, with the
 * bookkeeping of joins and leaves (cluster-wide presence, join/leave notices, slow consumers
 * evicted). What the members receive is {@link RoomDelivery}'s job, what a joining member reads
 * first {@link JoinSync}'s. Nothing here blocks.
 */
@ApplicationScoped
@Startup
public class Hub {
  private final ConcurrentHashMap<String, RoomMembers> rooms = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Member> members = new ConcurrentHashMap<>();
  private final AtomicLong slowConsumerEvictions = new AtomicLong();
  private final Broker broker;
  private final HuddleConfig config;
  private final ChatMetrics metrics;

  /**
   * Presence changes (cluster-wide join/leave decisions may call Redis) and evictions run here, in
   * order, off the event loop.
   */
  private final ExecutorService presence =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "huddle-presence");
            t.setDaemon(true);
            return t;
          });

  public Hub(Instance<Broker> brokers, HuddleConfig config, ChatMetrics metrics) {
    this.broker = brokers.get();
    this.config = config;
    this.metrics = metrics;
  }

  @PostConstruct
  void start() {
    metrics.gauge("huddle.connections.open", "Open room WebSockets on this node", members::size);
    metrics.gauge("huddle.rooms.active", "Rooms with members on this node", rooms::size);
    // Visible in production (and checked by the packaged-server IT, JVM and native): how many
    // open sockets write pre-encoded frames straight to Netty rather than through the public API.
    metrics.gauge(
        "huddle.connections.fast.path",
        "Open room WebSockets written through the pre-encoded Netty path (the rest: public API)",
        () -> members.values().stream().filter(Member::fastPath).count());
  }

  /**
   * A new member of a room for this connection, not yet in the index. Its frames are written on the
   * current context: call it from the connection's {@code @OnOpen}.
   */
  Member newMember(String roomId, WebSocketConnection connection, AuthUser user) {
    return new Member(
        connection,
        roomId,
        user,
        Vertx.currentContext(),
        config.chat().maxBacklog(),
        config.chat().stallTimeout().toNanos(),
        this::evictSlowConsumer);
  }

  /**
   * Adds a member to the index and to its room, and announces the user when this is its first
   * connection in the room.
   *
   * @param storedSeq the room's stored seq ({@link RoomMembers#UNKNOWN_SEQ} when it cannot be
   *     read), asked only when the room is new on this node: where this node's delivery of the room
   *     starts, later seqs that do not follow on being gaps filled from PostgreSQL
   * @return the member's room if it was already active on this node, else null
   */
  RoomMembers join(Member member, LongSupplier storedSeq) {
    String roomId = member.roomId;
    members.put(member.connection.id(), member);
    long lastSeq = rooms.containsKey(roomId) ? RoomMembers.UNKNOWN_SEQ : storedSeq.getAsLong();
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
      String username = member.user.username();
      presence.execute(
          () -> {
            if (broker.userJoined(roomId, member.userId, username) && announce) {
              broker.publish(ChatFrame.join(roomId, member.userId, username));
            }
          });
    }
    return joined[0];
  }

  /**
   * Removes a connection (closed, see {@link OpenSockets#closed}); announces the user's leave when
   * it was its last one in the room.
   */
  public void leave(WebSocketConnection connection) {
    Member member = members.remove(connection.id());
    if (member != null) {
      remove(member);
    }
  }

  /** The connection's member, or null when it is not (or no longer) in a room. */
  Member member(WebSocketConnection connection) {
    return members.get(connection.id());
  }

  /** Every member on this node: a live, unmodifiable view. */
  Collection<Member> liveMembers() {
    return Collections.unmodifiableCollection(members.values());
  }

  /** A room with members on this node, or null. */
  RoomMembers room(String roomId) {
    return rooms.get(roomId);
  }

  /** Each room with members on this node. */
  void forEachRoom(BiConsumer<String, RoomMembers> action) {
    rooms.forEach(action);
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
}
