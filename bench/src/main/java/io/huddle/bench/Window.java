package io.huddle.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counters for one measured window (a fixed run has one, a ramp one per step). A message belongs to
 * the window when its intended send time does: so what a stalled server delays still counts here.
 */
final class Window {
  static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);

  final int step;
  final double rate;

  /** Window bounds in ns since the run origin (intended send times). */
  final long start;

  final long end;

  final AtomicLongArray sentBySender;
  final AtomicLongArray recvBySender;
  final AtomicLongArray recvByReceiver;
  final LongAdder received = new LongAdder();
  final LongAdder receivedByStalled = new LongAdder();
  final LongAdder acks = new LongAdder();
  final Recorder latency = new Recorder(HIGHEST_MICROS, 3);
  final Recorder ackLatency = new Recorder(HIGHEST_MICROS, 3);

  /** Written by the single sender thread only. */
  final Histogram senderLag = new Histogram(HIGHEST_MICROS, 3);

  Window(int step, double rate, long start, long end, int senders, int clients) {
    this.step = step;
    this.rate = rate;
    this.start = start;
    this.end = end;
    this.sentBySender = new AtomicLongArray(senders);
    this.recvBySender = new AtomicLongArray(senders);
    this.recvByReceiver = new AtomicLongArray(clients);
  }

  boolean contains(long intended) {
    return intended >= start && intended < end;
  }

  static long micros(long nanos) {
    return Math.min(HIGHEST_MICROS, Math.max(0, nanos / 1000));
  }
}
