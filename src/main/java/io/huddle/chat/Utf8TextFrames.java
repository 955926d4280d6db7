package io.huddle.chat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.ReferenceCountUtil;
import io.quarkus.logging.Log;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Closes a room socket with 1007 (invalid frame payload data, RFC 6455 §8.1) when a text frame is
 * not valid UTF-8. Vert.x decodes text frames leniently (bad bytes become U+FFFD, and that is what
 * websockets-next hands the endpoint), and it does not install Netty's {@link Utf8FrameValidator},
 * which only Netty's own WebSocketServerProtocolHandler adds; nor is there a Vert.x or Quarkus
 * setting for it.
 *
 * <p>So the validator is put into the connection's pipeline while the upgrade request is being
 * routed, right after Vert.x's HTTP encoder: the handshake puts the WebSocket frame decoder in the
 * HTTP decoder's place and the frame encoder before the HTTP encoder, so the validator then sees
 * every decoded frame before Vert.x does, from the first one on (adding it after the upgrade, in
 * {@code @OnOpen}, would miss frames sent at once), and its close frame goes out through the frame
 * encoder. It passes non-frame messages through, so a refused upgrade leaves a harmless handler
 * behind. On bad UTF-8 it sends the close frame itself and closes the connection; {@link
 * SocketFailures} keeps the resulting exception out of the log.
 *
 * <p>It depends on Vert.x internals (the pipeline handler name {@value #HTTP_ENCODER} and {@code
 * ConnectionBase}); without them it logs once and Huddle falls back to the lenient decoding. {@code
 * WebSocketInputTest} fails in that case.
 */
@ApplicationScoped
public class Utf8TextFrames {
  static final String HTTP_ENCODER = "httpEncoder";
  static final String NAME = "huddle-utf8-validator";
  private static final String PATH = "/api/v1/ws/joinRoom/";

  private final AtomicBoolean warned = new AtomicBoolean();

  void register(@Observes Filters filters) {
    filters.register(this::onRequest, TokenCarrierCheck.PRIORITY + 10);
  }

  private void onRequest(RoutingContext rc) {
    String upgrade = rc.request().getHeader("Upgrade");
    if (upgrade != null
        && upgrade.equalsIgnoreCase("websocket")
        && rc.normalizedPath().startsWith(PATH)) {
      install(rc.request().connection());
    }
    rc.next();
  }

  private void install(HttpConnection connection) {
    ChannelPipeline pipeline =
        connection instanceof ConnectionBase base ? base.channel().pipeline() : null;
    if (pipeline == null || pipeline.get(HTTP_ENCODER) == null) {
      if (warned.compareAndSet(false, true)) {
        Log.warnf(
            "Cannot validate UTF-8 of WebSocket text frames (no %s in %s)",
            HTTP_ENCODER, pipeline == null ? connection.getClass().getName() : pipeline.names());
      }
      return;
    }
    if (pipeline.get(NAME) == null) {
      pipeline.addAfter(HTTP_ENCODER, NAME, new Validator());
    }
  }

  /**
   * Netty's validator, answering a violation itself: Netty's own answer (closeOnProtocolViolation)
   * closes the channel from its tail, through Vert.x's handler, which then sends a second close
   * frame (1000) after the 1007 one; {@code ctx.close()} starts below Vert.x. The exception stops
   * here too, and frames that arrive before the close are dropped.
   */
  private static final class Validator extends Utf8FrameValidator {
    private boolean closing;

    Validator() {
      super(false);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (closing) {
        ReferenceCountUtil.release(msg);
        return;
      }
      super.channelRead(ctx, msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
      if (!(cause instanceof CorruptedWebSocketFrameException)) {
        super.exceptionCaught(ctx, cause);
        return;
      }
      if (!closing) {
        closing = true;
        Log.debugf("Closing a WebSocket with 1007: %s", cause.getMessage());
        ctx.writeAndFlush(
                new CloseWebSocketFrame(
                    WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "Text frames must be valid UTF-8"))
            .addListener(written -> ctx.close());
      }
    }
  }
}
