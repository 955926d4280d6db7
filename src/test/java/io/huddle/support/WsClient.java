package io.huddle.support;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real WebSocket client (Vert.x) that queues every text frame it receives, remembers how the
 * connection closed, and can stop reading to play a slow consumer.
 */
public final class WsClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final WebSocketClient client;
  private final WebSocket socket;
  private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();

  private WsClient(WebSocketClient client, WebSocket socket) {
    this.client = client;
    this.socket = socket;
    socket.textMessageHandler(frames::add);
    socket.closeHandler(
        v ->
            closed.complete(
                socket.closeStatusCode() == null ? -1 : (int) socket.closeStatusCode()));
  }

  /** Options for one handshake. */
  public static final class Handshake {
    final URI base;
    final String path;
    final MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    final List<String> subprotocols = new ArrayList<>();

    Handshake(URI base, String path) {
      this.base = base;
      this.path = path;
    }

    public Handshake bearer(String token) {
      return header("Authorization", "Bearer " + token);
    }

    public Handshake cookie(String token) {
      return header("Cookie", "access_token=" + token);
    }

    public Handshake header(String name, String value) {
      headers.add(name, value);
      return this;
    }

    public Handshake subprotocol(String protocol) {
      subprotocols.add(protocol);
      return this;
    }
  }

  public static Handshake to(URI base, String roomId) {
    return new Handshake(base, "/api/v1/ws/joinRoom/" + encode(roomId));
  }

  public static Handshake toPath(URI base, String path) {
    return new Handshake(base, path);
  }

  static String encode(String roomId) {
    return java.net.URLEncoder.encode(roomId, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20");
  }

  /** Connects, or throws the handshake's failure. */
  public static WsClient open(Vertx vertx, Handshake h) {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions());
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost(h.base.getHost())
            .setPort(h.base.getPort())
            .setURI(h.path)
            .setHeaders(h.headers)
            .setSubProtocols(h.subprotocols.isEmpty() ? null : h.subprotocols);
    CompletableFuture<WsClient> result = new CompletableFuture<>();
    client
        .connect(options)
        .onSuccess(ws -> result.complete(new WsClient(client, ws)))
        .onFailure(result::completeExceptionally);
    try {
      return result.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      client.close();
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      client.close();
      throw new IllegalStateException(e);
    }
  }

  /** The HTTP status that refused the handshake (fails the test if it was accepted). */
  public static int rejectedStatus(Vertx vertx, Handshake h) {
    try (WsClient ignored = open(vertx, h)) {
      fail("The handshake to " + h.path + " was accepted");
      return -1;
    } catch (UpgradeRejectedException e) {
      return e.getStatus();
    }
  }

  public String selectedSubprotocol() {
    return socket.subProtocol();
  }

  public void send(String text) {
    socket.writeTextMessage(text).toCompletionStage().toCompletableFuture().join();
  }

  /** A ping control frame (the server answers each with a pong). */
  public void ping() {
    socket.writePing(Buffer.buffer("ping")).toCompletionStage().toCompletableFuture().join();
  }

  public void sendBinary(byte[] data) {
    socket.writeBinaryMessage(Buffer.buffer(data)).toCompletionStage().toCompletableFuture().join();
  }

  /** The next frame, or fails after the timeout. */
  public JsonNode next() {
    try {
      String frame = frames.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      assertNotNull(frame, "no frame within " + TIMEOUT);
      return JSON.readTree(frame);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Skips frames until one matches; fails after the timeout. */
  public JsonNode next(Predicate<JsonNode> wanted) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode frame = next();
      if (wanted.test(frame)) {
        return frame;
      }
    }
    throw new AssertionError("no matching frame within " + TIMEOUT);
  }

  public JsonNode nextOfType(String type) {
    return next(f -> type.equals(f.path("type").asText()));
  }

  /** Frames already received and not yet read, without waiting. */
  public List<JsonNode> drain() {
    List<String> raw = new ArrayList<>();
    frames.drainTo(raw);
    List<JsonNode> out = new ArrayList<>();
    for (String r : raw) {
      try {
        out.add(JSON.readTree(r));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    return out;
  }

  /** Nothing arrives for a while: the absence of a frame. */
  public void assertNoFrameFor(Duration quiet) {
    String frame;
    try {
      frame = frames.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    if (frame != null) {
      fail("unexpected frame: " + frame);
    }
  }

  /** Stops reading from the socket: the server's writes back up, as with a stalled client. */
  public void stopReading() {
    socket.pause();
  }

  public void resumeReading() {
    socket.resume();
  }

  /** The close code the server sent, waiting up to the given time. */
  public int awaitClose(Duration within) {
    try {
      return closed.get(within.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("connection not closed within " + within, e);
    }
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  @Override
  public void close() {
    try {
      if (!socket.isClosed()) {
        socket.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      }
    } catch (Exception ignored) {
      // already gone
    } finally {
      client.close();
    }
  }
}
