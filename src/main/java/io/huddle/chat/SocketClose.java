package io.huddle.chat;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

/** Closing a room socket from the server, with the close codes the protocol uses. */
final class SocketClose {
  /** Server shutdown: reconnect elsewhere. */
  static final int GOING_AWAY = 1001;

  /** A policy violation: too slow a consumer, or a rate limit or the socket cap exceeded. */
  static final int POLICY_VIOLATION = 1008;

  /** A client message over the size limit. */
  static final int MESSAGE_TOO_BIG = 1009;

  /** The server cannot give a joining client its history (try again). */
  static final int INTERNAL_ERROR = 1011;

  private SocketClose() {}

  /**
   * Sends a close frame and forgets about it: a failure means the connection is gone already, which
   * is what the caller wanted.
   */
  static void quietly(WebSocketConnection connection, int code, String reason) {
    quietly(connection, code, reason, () -> {});
  }

  /** The same, then runs {@code then} whether the close succeeded or failed. */
  static void quietly(WebSocketConnection connection, int code, String reason, Runnable then) {
    connection
        .close(new CloseReason(code, reason))
        .subscribe()
        .with(ok -> then.run(), failure -> then.run());
  }
}
