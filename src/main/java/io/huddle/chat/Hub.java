package io.huddle.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.huddle.auth.AuthUser;
import io.huddle.common.HuddleConfig;
import io.huddle.room.RoomRecords.ClientResponse;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

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

  private final ConcurrentHashMap<String, RoomMembers> rooms = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Member> members = new ConcurrentHashMap<>();
  private final AtomicLong slowConsumerEvictions = new AtomicLong();
  private final Broker broker;
  private final ObjectMapper mapper;
  private final HuddleConfig config;

  public Hub(Broker broker, ObjectMapper mapper, HuddleConfig config) {
    this.broker = broker;
    this.mapper = mapper;
    this.config = config;
  }

  @PostConstruct
  void start() {
    broker.subscribe(this::deliver);
  }

  /** Adds a connection to its room; announces the user if this is its first connection there. */
  public void join(String roomId, WebSocketConnection connection, AuthUser user) {
    Context context = Vertx.currentContext();
    Member member =
        new Member(
            connection, roomId, user, context, config.chat().maxBacklog(), this::evictSlowConsumer);
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
  }

  /** Removes a connection; announces the user's leave when it was its last one in the room. */
  public void leave(WebSocketConnection connection) {
    Member member = members.remove(connection.id());
    if (member != null) {
      remove(member);
    }
  }

  /** A text frame from a client: publish it, or answer an error frame to the sender only. */
  public void receive(WebSocketConnection connection, String text) {
    Member member = members.get(connection.id());
    if (member == null) {
      return;
    }
    InboundFrames.Parsed parsed =
        InboundFrames.parse(text, mapper, config.chat().maxContentLength());
    if (parsed.error() != null) {
      sendError(member, parsed.error());
      return;
    }
    broker.publish(
        ChatFrame.message(member.roomId, member.userId, member.user.username(), parsed.content()));
  }

  /** Answers an error frame to one connection. */
  public void reject(WebSocketConnection connection, String error) {
    Member member = members.get(connection.id());
    if (member != null) {
      sendError(member, error);
    }
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
    String text = encode(frame);
    // One delivery at a time per room, so every member queues the room's frames in one order.
    synchronized (room) {
      for (Member member : room.snapshot()) {
        member.offer(text);
      }
    }
  }

  private void sendError(Member member, String error) {
    member.offer(encode(ChatFrame.error(error)));
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
