package io.huddle.bench;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** Whole-run counters: what must never happen (duplicates, reordering, gaps) and frame counts. */
final class Totals {
  private static final int KEEP_ERRORS = 5;

  final AtomicLongArray dupByReceiver;
  final AtomicLongArray oooByReceiver;
  final AtomicLongArray dupBySender;
  final AtomicLongArray oooBySender;
  final AtomicLongArray seqGapsByReceiver;
  final AtomicLongArray seqBackByReceiver;

  final LongAdder messages = new LongAdder();
  final LongAdder foreignMessages = new LongAdder();
  final LongAdder history = new LongAdder();
  final LongAdder joins = new LongAdder();
  final LongAdder leaves = new LongAdder();
  final LongAdder acks = new LongAdder();
  final LongAdder errors = new LongAdder();
  final LongAdder otherFrames = new LongAdder();
  final LongAdder unparsable = new LongAdder();
  final LongAdder framesWithSeq = new LongAdder();
  final LongAdder writeQueueFull = new LongAdder();
  final LongAdder sendSkipped = new LongAdder();
  final LongAdder socketExceptions = new LongAdder();
  final Queue<String> errorSamples = new ConcurrentLinkedQueue<>();
  private final AtomicInteger errorSampleCount = new AtomicInteger();

  Totals(int senders, int clients) {
    dupByReceiver = new AtomicLongArray(clients);
    oooByReceiver = new AtomicLongArray(clients);
    seqGapsByReceiver = new AtomicLongArray(clients);
    seqBackByReceiver = new AtomicLongArray(clients);
    dupBySender = new AtomicLongArray(senders);
    oooBySender = new AtomicLongArray(senders);
  }

  void sampleError(String text) {
    if (errorSampleCount.incrementAndGet() <= KEEP_ERRORS) {
      errorSamples.add(text);
    }
  }

  static long sum(AtomicLongArray a) {
    long s = 0;
    for (int i = 0; i < a.length(); i++) {
      s += a.get(i);
    }
    return s;
  }

  static long max(AtomicLongArray a) {
    long m = 0;
    for (int i = 0; i < a.length(); i++) {
      m = Math.max(m, a.get(i));
    }
    return m;
  }

  static int nonZero(AtomicLongArray a) {
    int n = 0;
    for (int i = 0; i < a.length(); i++) {
      if (a.get(i) != 0) {
        n++;
      }
    }
    return n;
  }
}
