package io.huddle.bench;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/** What one measured window (a fixed run, or one ramp step) produced. */
final class StepResult {
  int step;
  double rate;
  double warmupSeconds;
  double measureSeconds;

  long sent;
  long expected;
  long received;
  long receivedByStalled;
  boolean drained;
  double drainSeconds;

  Histogram latency;
  Histogram ackLatency;
  long acks;
  Histogram senderLag;

  Proc.Sample serverStart;
  Proc.Sample serverEnd;
  long serverRssPeakKib = -1;
  double generatorCpuSeconds;
  long generatorGcCount;
  long generatorGcMillis;

  /** CPU seconds other processes of the machine used in the window; -1 if unknown. */
  double othersCpuSeconds = -1;

  double loadAverageEnd = -1;

  long[] sentBySender;
  long[] expectedBySender;
  long[] receivedBySender;

  /** Non-stalled receivers that were open when the window started; -1 for the others. */
  long[] expectedByReceiver;

  long[] receivedByReceiver;

  final List<String> failures = new ArrayList<>();

  long lost() {
    return Math.max(0, expected - received);
  }

  double lossPct() {
    return expected == 0 ? 0 : 100.0 * lost() / expected;
  }

  double deliveriesPerSecond() {
    return measureSeconds == 0 ? 0 : received / measureSeconds;
  }

  boolean hasServer() {
    return serverStart != null && serverStart.valid() && serverEnd != null && serverEnd.valid();
  }

  double serverCpuSeconds() {
    return hasServer() ? serverEnd.cpuSeconds() - serverStart.cpuSeconds() : -1;
  }

  /** Server CPU per delivery in µs; -1 without --server-pid. */
  double serverMicrosPerDelivery() {
    return hasServer() && received > 0 ? serverCpuSeconds() * 1e6 / received : -1;
  }

  double ms(Histogram h, double percentile) {
    return h == null || h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
  }

  double p99Ms() {
    return ms(latency, 99);
  }

  /** CPU seconds that processes other than the server and the generator took in the window. */
  double otherCpuSeconds() {
    return othersCpuSeconds;
  }

  boolean passed() {
    return failures.isEmpty();
  }
}
