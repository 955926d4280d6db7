package io.huddle.chat;

import io.huddle.auth.AuthUser;
import io.huddle.auth.CurrentUser;
import io.quarkus.logging.Log;
import io.quarkus.security.Authenticated;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPingMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.buffer.Buffer;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The room socket. Transport only: identity comes from the verified token (never from query
 * parameters such as the Go server's ?userId=&amp;username=), and every event goes on at once: the
 * join to {@link JoinSync}, text to {@link MessageIntake}, the close to {@link OpenSockets}.
 */
@WebSocket(path = "/api/v1/ws/joinRoom/{roomId}", endpointId = ChatSocket.ID)
@Authenticated
public class ChatSocket {
  static final String ID = "huddle-room";

  @Inject OpenSockets sockets;
  @Inject JoinSync joins;
  @Inject MessageIntake intake;
  @Inject JsonWebToken token;
  @Inject SocketQuota quota;
  @Inject Sessions sessions;

  @OnOpen
  void onOpen(WebSocketConnection connection) {
    AuthUser user = CurrentUser.fromToken(token);
    if (!quota.opened(
        connection,
        String.valueOf(user.id()),
        ChatUpgradeCheck.clientAddress(connection.handshakeRequest()))) {
      // Parallel upgrades can pass the check before the upgrade together: the count decides here.
      SocketClose.quietly(connection, SocketClose.POLICY_VIOLATION, "Too many open sockets");
      return;
    }
    // Registered at once: a close from here on releases the count taken above.
    sockets.opened(connection, String.valueOf(user.id()));
    sessions.opened(connection, user);
    quota.pingsGuarded(
        connection, NettyFrames.guardPings(connection, () -> quota.pingCloses(connection)));
    joins.join(
        connection.pathParam("roomId"),
        connection,
        user,
        ChatUpgradeCheck.since(connection.handshakeRequest().query()));
  }

  /**
   * Runs on the connection's event loop: parsing and queueing for the writer never block, and
   * skipping the hop to a worker thread saves a thread wake-up per message.
   */
  @OnTextMessage
  @NonBlocking
  void onText(String text, WebSocketConnection connection) {
    intake.receive(connection, text);
  }

  /**
   * Vert.x answers every ping with a pong; a client may not make it queue pongs without end.
   * Counted here only when the Netty guard could not be installed (see NettyFrames.guardPings).
   */
  @OnPingMessage
  @NonBlocking
  void onPing(Buffer data, WebSocketConnection connection) {
    if (!quota.pingsGuarded(connection) && quota.pingCloses(connection)) {
      NettyFrames.closeAndDrain(connection, SocketClose.POLICY_VIOLATION, "Too many pings");
    }
  }

  @OnBinaryMessage
  @NonBlocking
  void onBinary(Buffer data, WebSocketConnection connection) {
    intake.reject(
        connection,
        ChatMetrics.Rejection.BINARY_FRAME,
        "Binary frames are not supported: send text or a JSON object");
  }

  @OnClose
  void onClose(WebSocketConnection connection) {
    sockets.closed(connection);
  }

  @OnError
  void onError(Throwable failure, WebSocketConnection connection) {
    String message = String.valueOf(failure.getMessage()).toLowerCase();
    if (failure instanceof IllegalStateException && message.contains("max message size")) {
      intake.tooLarge(connection);
      return;
    }
    if (SocketFailures.clientSide(failure, connection.id())) {
      return;
    }
    Log.warnf(failure, "WebSocket error on connection %s", connection.id());
    intake.reject(
        connection, ChatMetrics.Rejection.INVALID_FRAME, "The server could not handle that frame");
  }
}
