package io.huddle.chat;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The room sockets open on this node, from their {@code @OnOpen} to their close, and the one place
 * where a closed socket is cleaned up: its count against its user is released and it leaves its
 * room. {@link SocketQuota} and {@link Sessions} keep their per-socket state in the connection's
 * user data and find the open sockets here; the {@link Hub} indexes those that joined a room. The
 * sockets of each user are indexed too ({@link DirectNotifications} reaches a user's every socket):
 * as bounded as the sockets themselves (each user has at most {@code sockets-per-user}), and a
 * user's entry goes with its last socket.
 */
@ApplicationScoped
class OpenSockets {
  private static final TypedKey<String> USER = new TypedKey<>("huddle.socket.user");

  private final Set<WebSocketConnection> open = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, Set<WebSocketConnection>> byUser =
      new ConcurrentHashMap<>();
  private final SocketQuota quota;
  private final Hub hub;

  OpenSockets(SocketQuota quota, Hub hub) {
    this.quota = quota;
    this.hub = hub;
  }

  /** A socket counted against its user (see {@link SocketQuota#opened}) is open. */
  void opened(WebSocketConnection connection, String userId) {
    open.add(connection);
    connection.userData().put(USER, userId);
    byUser.compute(
        userId,
        (id, sockets) -> {
          Set<WebSocketConnection> s = sockets == null ? ConcurrentHashMap.newKeySet() : sockets;
          s.add(connection);
          return s;
        });
  }

  /**
   * The socket closed: {@code @OnClose}, or the sweep. Safe to call more than once, and for a
   * socket that was refused before it was counted.
   */
  void closed(WebSocketConnection connection) {
    if (open.remove(connection)) {
      quota.closed(connection);
      String userId = connection.userData().get(USER);
      if (userId != null) {
        byUser.computeIfPresent(
            userId,
            (id, sockets) -> {
              sockets.remove(connection);
              return sockets.isEmpty() ? null : sockets;
            });
      }
    }
    hub.leave(connection);
  }

  /** The user's open sockets on this node (a copy). */
  List<WebSocketConnection> ofUser(String userId) {
    Set<WebSocketConnection> sockets = byUser.get(userId);
    return sockets == null ? List.of() : List.copyOf(sockets);
  }

  void forEach(Consumer<WebSocketConnection> action) {
    open.forEach(action);
  }

  /**
   * A client that closes while its @OnOpen still runs can make websockets-next fail to register the
   * close handler ("WebSocket is closed" in Endpoints.initialize), so @OnClose never comes. Without
   * this sweep such a socket would stay in its room forever (its user would never leave) and count
   * against its user's cap.
   */
  @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void sweepClosed() {
    for (WebSocketConnection connection : open) {
      if (connection.isClosed()) {
        Log.debugf("Removing connection %s closed without @OnClose", connection.id());
        closed(connection);
      }
    }
  }
}
