package io.huddle.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.http.WebSocket;
import java.io.IOException;
import java.util.BitSet;

/**
 * One WebSocket connection of the generator. Its frames are handled on its own event loop, so the
 * per-sender tracking below needs no locking; everything read by other threads is atomic.
 */
final class Conn {
  /** Close code recorded when the TCP connection ended without a close frame. */
  static final int ABNORMAL_CLOSE = 1006;

  /** The Go server's join and leave notices: ordinary frames with these contents. */
  static final String GO_JOINED = "New user joined the room";

  static final String GO_LEFT = " has left the room";

  final int index;
  final int room;
  final int user;

  /** Sender number (0..S-1), or -1 for a receiver only. */
  final int sender;

  final boolean stalled;
  private final Run run;

  /** Frames come from the Go server: no "type", the kind follows from the content. */
  private final boolean go;

  volatile WebSocket ws;
  volatile boolean closed;
  volatile boolean closedByUs;
  volatile int closeCode;
  volatile String closeReason;

  /** ns since origin when the server's close was seen, or -1. */
  volatile long closedAt = -1;

  /** Whether this connection received the run's liveness probe (idle presets, after the hold). */
  volatile boolean probed;

  // Event-loop only.
  private final Content.Parsed parsed = new Content.Parsed();
  private final SeqTrack[] tracks;
  private long lastServerSeq = -1;

  /** Sequence numbers seen from one sender by this receiver. */
  private static final class SeqTrack {
    final BitSet seen = new BitSet();
    long max = -1;
  }

  Conn(Run run, int index, int room, int user, int sender, boolean stalled, int senders) {
    this.run = run;
    this.index = index;
    this.room = room;
    this.user = user;
    this.sender = sender;
    this.stalled = stalled;
    this.tracks = new SeqTrack[senders];
    this.go = run.goTarget();
  }

  void attach(WebSocket socket) {
    this.ws = socket;
    socket.textMessageHandler(this::onText);
    socket.binaryMessageHandler(b -> run.totals.otherFrames.increment());
    socket.exceptionHandler(e -> run.totals.socketExceptions.increment());
    socket.closeHandler(v -> onClose(socket));
  }

  boolean open() {
    return ws != null && !closed;
  }

  private void onClose(WebSocket socket) {
    Short code = socket.closeStatusCode();
    closeCode = code == null ? ABNORMAL_CLOSE : code;
    closeReason = socket.closeReason();
    closedAt = System.nanoTime() - run.origin;
    closed = true;
  }

  private void onText(String text) {
    long now = System.nanoTime() - run.origin;
    Totals totals = run.totals;
    String type = null;
    String clientId = null;
    String error = null;
    String roomId = null;
    long seq = -1;
    long historySeq = -1;
    boolean bench = false;
    boolean probe = false;
    String notice = null;
    try (JsonParser p = run.json.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        totals.unparsable.increment();
        return;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "type" -> type = t == JsonToken.VALUE_STRING ? p.getText() : null;
          case "content" -> {
            if (t == JsonToken.VALUE_STRING) {
              bench =
                  Content.parse(
                      p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), parsed);
              if (!bench) {
                probe = run.isProbe(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                if (go && !probe) {
                  notice = p.getText();
                }
              }
            } else {
              p.skipChildren();
            }
          }
          case "seq" -> seq = t.isNumeric() ? p.getLongValue() : -1;
          case "clientId" -> clientId = t == JsonToken.VALUE_STRING ? p.getText() : null;
          case "roomId" -> roomId = t == JsonToken.VALUE_STRING ? p.getText() : null;
          case "error" -> error = t == JsonToken.VALUE_STRING ? p.getText() : String.valueOf(t);
          case "messages" -> historySeq = highestSeq(p, t);
          default -> p.skipChildren();
        }
      }
    } catch (IOException e) {
      totals.unparsable.increment();
      return;
    }
    if (go) {
      type = probe ? "message" : goType(bench, notice);
    }
    if (type == null) {
      totals.unparsable.increment();
      return;
    }
    switch (type) {
      case "message" -> {
        totals.messages.increment();
        checkServerSeq(seq);
        if (bench) {
          onBenchMessage(now);
        } else if (probe) {
          probed = true;
        } else {
          totals.foreignMessages.increment();
        }
      }
      case "join" -> {
        totals.joins.increment();
        checkServerSeq(seq);
      }
      case "leave" -> {
        totals.leaves.increment();
        checkServerSeq(seq);
      }
      case "history" -> {
        totals.history.increment();
        if (historySeq > lastServerSeq) {
          lastServerSeq = historySeq;
        }
      }
      case "ack" -> {
        totals.acks.increment();
        run.recordAck(clientId, roomId, seq);
        onAck(clientId, now);
      }
      case "error" -> {
        totals.errors.increment();
        totals.sampleError(error);
      }
      default -> totals.otherFrames.increment();
    }
  }

  /**
   * The Go server's frames are all {@code {"content","roomId","username","isDirect"}}: its join and
   * leave notices are messages with a fixed text. Null (unparsable) without a string content.
   */
  private static String goType(boolean bench, String notice) {
    if (bench) {
      return "message";
    }
    if (notice == null) {
      return null;
    }
    if (notice.equals(GO_JOINED)) {
      return "join";
    }
    return notice.endsWith(GO_LEFT) ? "leave" : "message";
  }

  /** The highest "seq" among the objects of a history frame's array (skips everything else). */
  private static long highestSeq(JsonParser p, JsonToken t) throws IOException {
    long highest = -1;
    if (t != JsonToken.START_ARRAY) {
      p.skipChildren();
      return highest;
    }
    while (p.nextToken() == JsonToken.START_OBJECT) {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if (field.equals("seq") && v.isNumeric()) {
          highest = Math.max(highest, p.getLongValue());
        } else {
          p.skipChildren();
        }
      }
    }
    return highest;
  }

  /** The server's per-room seq, when it sends one, must go up by exactly one per frame. */
  private void checkServerSeq(long seq) {
    if (seq < 0) {
      return;
    }
    run.totals.framesWithSeq.increment();
    if (lastServerSeq < 0 || seq == lastServerSeq + 1) {
      lastServerSeq = seq;
    } else if (seq > lastServerSeq + 1) {
      run.totals.seqGapsByReceiver.addAndGet(index, seq - lastServerSeq - 1);
      lastServerSeq = seq;
    } else {
      run.totals.seqBackByReceiver.incrementAndGet(index);
    }
  }

  private void onBenchMessage(long now) {
    Totals totals = run.totals;
    int s = parsed.sender;
    long q = parsed.seq;
    if (s < 0 || s >= tracks.length || q > Integer.MAX_VALUE) {
      totals.foreignMessages.increment();
      return;
    }
    SeqTrack t = tracks[s];
    if (t == null) {
      t = tracks[s] = new SeqTrack();
    }
    int bit = (int) q;
    if (t.seen.get(bit)) {
      totals.dupByReceiver.incrementAndGet(index);
      totals.dupBySender.incrementAndGet(s);
      return;
    }
    t.seen.set(bit);
    if (q < t.max) {
      totals.oooByReceiver.incrementAndGet(index);
      totals.oooBySender.incrementAndGet(s);
    } else {
      t.max = q;
    }
    Window w = run.window;
    if (w == null || !w.contains(parsed.intended)) {
      return;
    }
    if (stalled) {
      w.receivedByStalled.increment();
      return;
    }
    w.recvByReceiver.incrementAndGet(index);
    w.recvBySender.incrementAndGet(s);
    w.received.increment();
    w.latency.recordValue(Window.micros(now - parsed.intended));
  }

  /** clientId is {@code <run>.<sender>.<seq>.<intended>}: the ack's latency needs no lookup. */
  private void onAck(String clientId, long now) {
    if (clientId == null) {
      return;
    }
    int dot = clientId.lastIndexOf('.');
    if (dot < 0) {
      return;
    }
    long intended;
    try {
      intended = Long.parseLong(clientId, dot + 1, clientId.length(), 10);
    } catch (NumberFormatException e) {
      return;
    }
    Window w = run.window;
    if (w != null && w.contains(intended)) {
      w.acks.increment();
      w.ackLatency.recordValue(Window.micros(now - intended));
    }
  }
}
