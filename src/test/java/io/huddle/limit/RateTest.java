package io.huddle.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateTest {

  @Test
  void parsesTokensPeriodAndBurst() {
    assertEquals(new Rate(20, Duration.ofSeconds(1), 40), Rate.parse("20/1S burst 40"));
    assertEquals(new Rate(5, Duration.ofMinutes(1), 5), Rate.parse(" 5 / 1m "));
    assertEquals(new Rate(3, Duration.ofHours(1), 10), Rate.parse("3/PT1H burst 10"));
    assertEquals(new Rate(2, Duration.ofMillis(500), 2), Rate.parse("2/500ms"));
    assertFalse(Rate.parse("off").enabled());
    assertEquals(Duration.ofSeconds(1), Rate.OFF.refillTime());
    assertEquals("20/PT1S burst 40", Rate.parse("20/1S burst 40").toString());
  }

  @Test
  void refusesWhatIsNotARate() {
    for (String bad : new String[] {"", "20", "/1S", "20/", "0/1S", "20/1S burst 0", "x/1S"}) {
      assertThrows(IllegalArgumentException.class, () -> Rate.parse(bad), bad);
    }
  }

  @Test
  void refillTimeCoversAnEmptiedBucket() {
    // 40 tokens at 20 per second: 2 s to fill, plus one period of margin.
    assertEquals(Duration.ofSeconds(3), Rate.parse("20/1S burst 40").refillTime());
  }
}
