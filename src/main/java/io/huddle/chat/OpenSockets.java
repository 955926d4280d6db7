package io.huddle.chat;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The room sockets open on this node, from their {@code @OnOpen} to their close, and the one place
 * where a closed socket is cleaned up: its count against its user is released and it leaves its
 * room. {@link SocketQuota} and {@link Sessions} keep their per-socket state in the connection's
 * user data and find the open sockets here; the {@link Hub} indexes those that joined a room.
 */
@ApplicationScoped
class OpenSockets {
  private final Set<WebSocketConnection> open = ConcurrentHashMap.newKeySet();
  private final SocketQuota quota;
  private final Hub hub;

  OpenSockets(SocketQuota quota, Hub hub) {
    this.quota = quota;
    this.hub = hub;
  }

  /** A socket counted against its user (see {@link SocketQuota#opened}) is open. */
  void opened(WebSocketConnection connection) {
    open.add(connection);
  }

  /**
   * The socket closed: {@code @OnClose}, or the sweep. Safe to call more than once, and for a
   * socket that was refused before it was counted.
   */
  void closed(WebSocketConnection connection) {
    if (open.remove(connection)) {
      quota.closed(connection);
    }
    hub.leave(connection);
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
