package io.huddle.limit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One token bucket per key (an address, an email, a user), in a bounded map: a bucket untouched for
 * as long as it takes to refill is dropped, which is the same as keeping it full. (A plain map, not
 * Caffeine: Caffeine picks its node classes by reflection, which failed in the native image.)
 */
public final class KeyedLimiter {
  /**
   * Distinct keys kept at once. Past it, buckets idle long enough to be full are dropped first,
   * then arbitrary ones (they start full again).
   */
  static final int MAX_KEYS = 100_000;

  /** A bucket and when it was last used. */
  private static final class Held {
    final Bucket bucket;
    volatile long usedAt;

    Held(Bucket bucket) {
      this.bucket = bucket;
    }
  }

  private final String name;
  private final Rate rate;
  private final ConcurrentHashMap<String, Held> buckets = new ConcurrentHashMap<>();
  private final AtomicBoolean trimming = new AtomicBoolean();
  private final Counter refused;
  private final SharedBuckets shared;
  private final Counter sharedFailures;

  public KeyedLimiter(String name, Rate rate, MeterRegistry registry) {
    this(name, rate, registry, null);
  }

  /**
   * @param shared buckets shared by every replica, or null for this node's own
   */
  public KeyedLimiter(String name, Rate rate, MeterRegistry registry, SharedBuckets shared) {
    this.name = name;
    this.rate = rate;
    this.shared = shared;
    this.sharedFailures =
        Counter.builder("huddle.rate.limit.shared.failures")
            .description("Rate-limit checks that fell back to this node's buckets (Redis failed)")
            .tag("limit", name)
            .register(registry);
    this.refused = refusedCounter(name, registry);
  }

  /** {@code huddle_rate_limited_total{limit=name}}: what the limit of that name refused. */
  public static Counter refusedCounter(String name, MeterRegistry registry) {
    return Counter.builder("huddle.rate.limited")
        .description("Requests and frames refused by a rate limit")
        .tag("limit", name)
        .register(registry);
  }

  public String name() {
    return name;
  }

  public Rate rate() {
    return rate;
  }

  /**
   * Takes one token for the key.
   *
   * @return 0 when taken, else the nanoseconds until one is available (counted as refused)
   */
  public long take(String key) {
    if (!rate.enabled()) {
      return 0;
    }
    Long sharedWait = shared(key, true);
    if (sharedWait != null) {
      return refusedIf(sharedWait);
    }
    ConsumptionProbe probe = bucket(key).tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) {
      return 0;
    }
    refused.increment();
    return Math.max(1, probe.getNanosToWaitForRefill());
  }

  /**
   * Whether a token is available for the key, without taking it (for limits that only count
   * failures, such as wrong passwords).
   *
   * @return 0 when one is, else the nanoseconds until one is (counted as refused)
   */
  public long peek(String key) {
    if (!rate.enabled()) {
      return 0;
    }
    Long sharedWait = shared(key, false);
    if (sharedWait != null) {
      return refusedIf(sharedWait);
    }
    EstimationProbe probe = bucket(key).estimateAbilityToConsume(1);
    if (probe.canBeConsumed()) {
      return 0;
    }
    refused.increment();
    return Math.max(1, probe.getNanosToWaitForRefill());
  }

  /** Takes a token when one is available; does nothing when none is. */
  public void charge(String key) {
    if (rate.enabled() && shared(key, true) == null) {
      bucket(key).tryConsume(1);
    }
  }

  /** The shared bucket's answer in nanoseconds, or null without one (or when Redis failed). */
  private Long shared(String key, boolean take) {
    if (shared == null) {
      return null;
    }
    try {
      return shared.take(name, key, rate, take) * 1_000_000L;
    } catch (RuntimeException e) {
      sharedFailures.increment();
      return null;
    }
  }

  private long refusedIf(long waitNanos) {
    if (waitNanos <= 0) {
      return 0;
    }
    refused.increment();
    return waitNanos;
  }

  /** A fresh bucket of this limit's shape, for state kept elsewhere (one per connection). */
  public Bucket newBucket() {
    return Bucket.builder()
        .addLimit(
            Bandwidth.builder()
                .capacity(rate.burst())
                .refillGreedy(rate.tokens(), rate.period())
                .build())
        .build();
  }

  /** Counts a refusal decided outside {@link #take} (a per-connection bucket). */
  public void countRefused() {
    refused.increment();
  }

  private Bucket bucket(String key) {
    Held held = buckets.computeIfAbsent(key, k -> new Held(newBucket()));
    long now = System.nanoTime();
    held.usedAt = now;
    if (buckets.size() > MAX_KEYS && trimming.compareAndSet(false, true)) {
      try {
        trim(now);
      } finally {
        trimming.set(false);
      }
    }
    return held.bucket;
  }

  private void trim(long now) {
    long full = rate.refillTime().toNanos();
    buckets.values().removeIf(h -> now - h.usedAt > full);
    Iterator<Held> rest = buckets.values().iterator();
    while (buckets.size() > MAX_KEYS * 3 / 4 && rest.hasNext()) {
      rest.next();
      rest.remove();
    }
  }

  /** Keys held (for tests). */
  int size() {
    return buckets.size();
  }
}
