package io.huddle.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The fallback rule, as pure logic: a failing shared store loosens a limit to per-node. */
class KeyedLimiterTest {
  private final Rate threeAnHour = Rate.parse("1/1H burst 3");

  @Test
  void withoutTheSharedStoreTheNodesOwnBucketStillLimits() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SharedBuckets down =
        (limit, key, rate, take) -> {
          throw new IllegalStateException("Redis is down");
        };
    KeyedLimiter limiter = new KeyedLimiter("test", threeAnHour, registry, down);
    for (int i = 0; i < 3; i++) {
      assertEquals(0, limiter.take("k"));
    }
    assertTrue(limiter.take("k") > 0, "the fourth is refused by the local bucket");
    assertEquals(0, limiter.take("other"));
    assertEquals(5, registry.get("huddle.rate.limit.shared.failures").counter().count());
  }

  @Test
  void theNumberOfKeysHeldIsBounded() {
    KeyedLimiter limiter = new KeyedLimiter("test", threeAnHour, new SimpleMeterRegistry());
    for (int i = 0; i <= KeyedLimiter.MAX_KEYS + 10; i++) {
      limiter.take("key-" + i);
    }
    assertTrue(limiter.size() <= KeyedLimiter.MAX_KEYS, limiter.size() + " keys held");
    // A key seen just now keeps its state: three taken, the fourth refused.
    limiter.take("fresh");
    limiter.take("fresh");
    limiter.take("fresh");
    assertTrue(limiter.take("fresh") > 0);
  }

  @Test
  void theSharedStoreDecidesWhenItAnswers() {
    AtomicInteger calls = new AtomicInteger();
    SharedBuckets shared = (limit, key, rate, take) -> calls.incrementAndGet() > 1 ? 250 : 0;
    KeyedLimiter limiter = new KeyedLimiter("test", threeAnHour, new SimpleMeterRegistry(), shared);
    assertEquals(0, limiter.take("k"));
    assertEquals(250_000_000L, limiter.take("k"));
    assertEquals(250_000_000L, limiter.peek("k"));
  }
}
