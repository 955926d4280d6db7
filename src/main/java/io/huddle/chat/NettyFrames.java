package io.huddle.chat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.quarkus.logging.Log;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.http.impl.WebSocketInternal;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The one place that reaches below the public websockets-next API, for broadcast speed: the public
 * {@code sendText} UTF-8-encodes the frame again for every member and flushes the socket after
 * every frame. Writing pre-encoded frames to the connection's Netty context lets a broadcast encode
 * once and lets each connection flush once per batch of queued frames.
 *
 * <p>It depends on three internals: websockets-next's package-private {@code
 * WebSocketConnectionBase.webSocket()}, the {@code delegate} field of Vert.x Web's {@code
 * ServerWebSocketWrapper}, and Vert.x's {@code WebSocketInternal}. If a Quarkus upgrade removes
 * either, {@link #contextOf} answers null and Huddle falls back to the public API (slower, same
 * behaviour); {@code ChatSocketTest} fails so that the fallback does not go unseen. The same
 * context lets {@link #closeAndDrain} stop handling an abusive connection at once.
 */
@RegisterForReflection(
    classNames = {
      "io.quarkus.websockets.next.runtime.WebSocketConnectionBase",
      "io.vertx.ext.web.impl.ServerWebSocketWrapper"
    },
    methods = true,
    fields = true)
final class NettyFrames {
  private static final Method WEB_SOCKET = find();

  private NettyFrames() {}

  /**
   * A frame encoded once: its text (for the public API) and its UTF-8 bytes (shared, read-only).
   */
  record Outbound(String text, ByteBuf utf8) {
    static Outbound of(String text) {
      return new Outbound(
          text,
          Unpooled.unreleasableBuffer(
              Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)).asReadOnly()));
    }
  }

  private static Method find() {
    try {
      Class<?> base = Class.forName("io.quarkus.websockets.next.runtime.WebSocketConnectionBase");
      Method method = base.getDeclaredMethod("webSocket");
      method.setAccessible(true);
      return method;
    } catch (ReflectiveOperationException | RuntimeException e) {
      Log.warnf("Fast broadcast path unavailable (%s); using the public WebSocket API", e);
      return null;
    }
  }

  private static Object delegateOf(Object wrapper) throws ReflectiveOperationException {
    for (Class<?> type = wrapper.getClass(); type != Object.class; type = type.getSuperclass()) {
      try {
        Field field = type.getDeclaredField("delegate");
        field.setAccessible(true);
        return field.get(wrapper);
      } catch (NoSuchFieldException notHere) {
        // try the superclass
      }
    }
    return null;
  }

  /** The connection's Netty context, or null when the internals are not there. */
  static ChannelHandlerContext contextOf(WebSocketConnection connection) {
    if (WEB_SOCKET == null) {
      return null;
    }
    try {
      Object socket = WEB_SOCKET.invoke(connection);
      // Vert.x Web wraps the server socket (ServerWebSocketWrapper); unwrap a few levels.
      for (int depth = 0; depth < 3 && socket != null; depth++) {
        if (socket instanceof WebSocketInternal internal) {
          return internal.channelHandlerContext();
        }
        socket = delegateOf(socket);
      }
      return null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** How long a condemned connection may take to close its side after our close frame. */
  static final long DRAIN_MILLIS = 1_000;

  private static final String DISCARD_BYTES = "huddle-discard-bytes";
  private static final String DISCARD_FRAMES = "huddle-discard-frames";
  private static final String PING_GUARD = "huddle-ping-guard";

  /** Reads and drops whatever arrives: nothing reaches the WebSocket decoder any more. */
  @ChannelHandler.Sharable
  private static final class Discard extends ChannelInboundHandlerAdapter {
    static final Discard INSTANCE = new Discard();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }
  }

  /**
   * Closes an abusive connection without handling anything more it sends. From now on its bytes are
   * read and dropped before they are decoded (no frame handled, no pong queued for a ping), the
   * close frame is written, and once it is flushed our side of the TCP connection is shut (FIN), so
   * the client reads the close frame and then the end of the stream. The socket is closed when the
   * client closes its side, or after {@link #DRAIN_MILLIS} at the latest. It keeps being read until
   * then on purpose: closing a socket with unread data in its buffer sends a TCP reset, and a
   * client that gets a reset may drop the close frame before reading it. Falls back to the public
   * close when the internals are not there. Call on the connection's event loop.
   */
  static void closeAndDrain(WebSocketConnection connection, int code, String reason) {
    ChannelHandlerContext ctx = contextOf(connection);
    if (ctx == null) {
      SocketClose.quietly(connection, code, reason);
      return;
    }
    Channel channel = ctx.channel();
    ChannelPipeline pipeline = channel.pipeline();
    if (pipeline.get(DISCARD_BYTES) != null) {
      return;
    }
    // Bytes not read yet are dropped before the decoder, and the frames it still decodes from what
    // it has read are dropped before Vert.x (which would answer each ping with a pong).
    try {
      pipeline.addFirst(DISCARD_BYTES, Discard.INSTANCE);
      pipeline.addBefore(ctx.name(), DISCARD_FRAMES, Discard.INSTANCE);
    } catch (NoSuchElementException | IllegalArgumentException closedMeanwhile) {
      // The connection closed and Netty took its handlers away: nothing left to drain.
      return;
    }
    ctx.writeAndFlush(new CloseWebSocketFrame(code, reason))
        .addListener(
            written -> {
              if (channel instanceof DuplexChannel duplex && channel.isActive()) {
                duplex.shutdownOutput();
              }
              channel
                  .eventLoop()
                  .schedule(() -> channel.close(), DRAIN_MILLIS, TimeUnit.MILLISECONDS);
            });
  }

  /**
   * Counts the connection's pings as Netty decodes them, before Vert.x answers each with a pong:
   * websockets-next calls {@code @OnPingMessage} later, on the event loop's task queue, by which
   * time Vert.x has answered every ping of the buffer just read (thousands, for a flood). When
   * {@code overLimit} says so, the connection is closed with 1008 at once (see {@link
   * #closeAndDrain}). Call on the connection's event loop.
   *
   * @return false when the internals are not there (then {@code @OnPingMessage} has to count)
   */
  static boolean guardPings(WebSocketConnection connection, BooleanSupplier overLimit) {
    ChannelHandlerContext ctx = contextOf(connection);
    if (ctx == null) {
      return false;
    }
    try {
      addPingGuard(connection, ctx, overLimit);
    } catch (NoSuchElementException | IllegalArgumentException closedMeanwhile) {
      // The client closed while @OnOpen ran: Netty took the handlers away, nothing to guard.
      return false;
    }
    return true;
  }

  private static void addPingGuard(
      WebSocketConnection connection, ChannelHandlerContext ctx, BooleanSupplier overLimit) {
    ctx.pipeline()
        .addBefore(
            ctx.name(),
            PING_GUARD,
            new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext guard, Object msg) {
                if (msg instanceof PingWebSocketFrame && overLimit.getAsBoolean()) {
                  ReferenceCountUtil.release(msg);
                  closeAndDrain(connection, SocketQuota.POLICY_VIOLATION, "Too many pings");
                  return;
                }
                guard.fireChannelRead(msg);
              }
            });
  }
}
