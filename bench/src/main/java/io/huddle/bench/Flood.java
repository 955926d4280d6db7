package io.huddle.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Attacks (a) and (b): one account's sockets in its own room, each writing as fast as its TCP
 * window lets it (messages, or pings), and opening a new socket whenever the server closes one or
 * refuses the upgrade. Counts what the server answers.
 */
final class Flood {
  /** Frames written per turn on the event loop before it reads again. */
  private static final int BATCH = 256;

  /** What one kind of socket (message flood or ping flood) saw. */
  static final class Side {
    final LongAdder opened = new LongAdder();
    final LongAdder sent = new LongAdder();
    final LongAdder acks = new LongAdder();
    final LongAdder retryAfterErrors = new LongAdder();
    final LongAdder pongs = new LongAdder();
    final LongAdder socketErrors = new LongAdder();
    final AtomicInteger openNow = new AtomicInteger();
    final Tally otherErrors = new Tally();
    final Tally frames = new Tally();
    final Tally closes = new Tally();
    final Tally upgradeFailures = new Tally();

    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("socketsOpened", opened.sum());
      m.put("sent", sent.sum());
      m.put("acks", acks.sum());
      m.put("errorFramesWithRetryAfterMs", retryAfterErrors.sum());
      m.put("otherErrorFrames", otherErrors.snapshot());
      m.put("pongs", pongs.sum());
      m.put("framesByType", frames.snapshot());
      m.put("closedByServer", closes.snapshot());
      m.put("upgradeRefusedOrFailed", upgradeFailures.snapshot());
      m.put("socketExceptions", socketErrors.sum());
      return m;
    }

    String line() {
      return String.format(
          "opened %d, sent %d, acks %d, retryAfter errors %d, pongs %d, closes %d, upgrade failures"
              + " %d",
          opened.sum(),
          sent.sum(),
          acks.sum(),
          retryAfterErrors.sum(),
          pongs.sum(),
          closes.total(),
          upgradeFailures.total());
    }
  }

  final Side messages = new Side();
  final Side pings = new Side();

  private final Vertx vertx;
  private final WebSocketClient client;
  private final String host;
  private final int port;
  private final String path;
  private final String token;
  private final List<WebSocket> open = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicLong nextId =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile boolean running = true;

  Flood(Vertx vertx, WebSocketClient client, String host, int port, String path, String token) {
    this.vertx = vertx;
    this.client = client;
    this.host = host;
    this.port = port;
    this.path = path;
    this.token = token;
  }

  void start(int messageSockets, int pingSockets) {
    for (int i = 0; i < messageSockets; i++) {
      int slot = i;
      vertx.runOnContext(v -> connect(slot, false));
    }
    for (int i = 0; i < pingSockets; i++) {
      int slot = i;
      vertx.runOnContext(v -> connect(slot, true));
    }
  }

  void stop() {
    running = false;
    for (WebSocket ws : open) {
      try {
        ws.close((short) 1000);
      } catch (RuntimeException ignored) {
        // already closing
      }
    }
  }

  private void connect(int slot, boolean ping) {
    if (!running) {
      return;
    }
    Side side = ping ? pings : messages;
    WebSocketConnectOptions o =
        new WebSocketConnectOptions()
            .setHost(host)
            .setPort(port)
            .setURI(path)
            .addHeader("Authorization", "Bearer " + token);
    client
        .connect(o)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                side.upgradeFailures.add(Tally.reason(ar.cause()));
                vertx.setTimer(1, id -> connect(slot, ping)); // at once, without spinning
                return;
              }
              WebSocket ws = ar.result();
              side.opened.increment();
              side.openNow.incrementAndGet();
              open.add(ws);
              long[] seq = {0};
              ws.textMessageHandler(text -> onText(side, text));
              ws.pongHandler(b -> side.pongs.increment());
              ws.exceptionHandler(e -> side.socketErrors.increment());
              ws.closeHandler(
                  v -> {
                    open.remove(ws);
                    side.openNow.decrementAndGet();
                    Short code = ws.closeStatusCode();
                    side.closes.add(
                        code == null
                            ? "1006 (no close frame)"
                            : code + " " + (ws.closeReason() == null ? "" : ws.closeReason()));
                    connect(slot, ping);
                  });
              if (!running) {
                ws.close((short) 1000);
                return;
              }
              pump(ws, side, ping, slot, seq);
            });
  }

  private void pump(WebSocket ws, Side side, boolean ping, int slot, long[] seq) {
    int n = 0;
    try {
      while (running && !ws.isClosed() && !ws.writeQueueFull() && n < BATCH) {
        if (ping) {
          ws.writePing(Buffer.buffer("p"));
        } else {
          long s = seq[0]++;
          ws.writeTextMessage(
              "{\"type\":\"message\",\"content\":\"flood "
                  + slot
                  + " "
                  + s
                  + "\",\"clientId\":\"f"
                  + nextId.incrementAndGet()
                  + "\"}");
        }
        side.sent.increment();
        n++;
      }
    } catch (IllegalStateException closedMeanwhile) {
      return;
    }
    if (!running || ws.isClosed()) {
      return;
    }
    if (ws.writeQueueFull()) {
      ws.drainHandler(v -> pump(ws, side, ping, slot, seq));
    } else {
      vertx.runOnContext(v -> pump(ws, side, ping, slot, seq));
    }
  }

  private static void onText(Side side, String text) {
    String type = type(text);
    side.frames.add(type);
    if (type.equals("ack")) {
      side.acks.increment();
    } else if (type.equals("error")) {
      if (text.contains("\"retryAfterMs\"")) {
        side.retryAfterErrors.increment();
      } else {
        int e = text.indexOf("\"error\":\"");
        String msg = e < 0 ? text : text.substring(e + 9, Math.min(text.length(), e + 9 + 60));
        side.otherErrors.add(msg.replaceAll("[0-9]+", "N"));
      }
    }
  }

  /** The frame's "type" without parsing the whole frame. */
  private static String type(String text) {
    int i = text.indexOf("\"type\":\"");
    if (i < 0) {
      return "(no type)";
    }
    int start = i + 8;
    int end = text.indexOf('"', start);
    return end < 0 ? "(bad type)" : text.substring(start, end);
  }
}
