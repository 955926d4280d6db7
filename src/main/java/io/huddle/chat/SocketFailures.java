package io.huddle.chat;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.quarkus.logging.Log;
import io.vertx.core.http.HttpClosedException;
import java.io.IOException;

/**
 * Tells the failures a client causes by leaving (a TCP reset, a connection closed without a close
 * frame) or by breaking the protocol (a corrupted frame, which Netty answers with a close frame)
 * from the server's own failures. The former happen all day on a chat server (phones lose their
 * network) and used to log a WARN per connection, with an 18-line stack trace for a reset; the
 * connection closes by itself and the Hub cleans up in {@code @OnClose}, so they are only logged at
 * DEBUG.
 */
final class SocketFailures {
  private SocketFailures() {}

  /** True (after a DEBUG line) when {@code failure} is the client's doing and needs no answer. */
  static boolean clientSide(Throwable failure, String connectionId) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IOException
          || t instanceof HttpClosedException
          || t instanceof CorruptedWebSocketFrameException) {
        Log.debugf("Connection %s ended by the client: %s", connectionId, t);
        return true;
      }
    }
    return false;
  }
}
