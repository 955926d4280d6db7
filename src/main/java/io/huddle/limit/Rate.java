package io.huddle.limit;

import io.quarkus.runtime.configuration.DurationConverter;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * A token bucket's shape, written in configuration as {@code <tokens>/<period> burst <size>} (e.g.
 * {@code 20/1S burst 40}: 40 at once, then 20 per second), or {@code off}.
 */
public record Rate(long tokens, Duration period, long burst) {
  public static final Rate OFF = new Rate(0, Duration.ZERO, 0);

  private static final Pattern FORMAT =
      Pattern.compile("\\s*(\\d{1,9})\\s*/\\s*(\\S+?)(?:\\s+burst\\s+(\\d{1,9}))?\\s*");

  public Rate {
    if (!period.isZero() && (tokens < 1 || burst < 1 || period.isNegative())) {
      throw new IllegalArgumentException("a rate needs tokens >= 1, burst >= 1, period > 0");
    }
  }

  public boolean enabled() {
    return !period.isZero();
  }

  /** How long an untouched bucket takes to fill up again: after that, forgetting it is exact. */
  public Duration refillTime() {
    if (!enabled()) {
      return Duration.ofSeconds(1);
    }
    return period.multipliedBy(burst).dividedBy(tokens).plus(period);
  }

  public static Rate parse(String text) {
    if (text.strip().equalsIgnoreCase("off")) {
      return OFF;
    }
    Matcher m = FORMAT.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected <tokens>/<period> [burst <size>] (e.g. 20/1S burst 40) or off, got: " + text);
    }
    long tokens = Long.parseLong(m.group(1));
    Duration period = DurationConverter.parseDuration(m.group(2));
    long burst = m.group(3) == null ? tokens : Long.parseLong(m.group(3));
    return new Rate(tokens, period, burst);
  }

  @Override
  public String toString() {
    return enabled() ? tokens + "/" + period + " burst " + burst : "off";
  }

  /** For {@code @WithConverter} in the configuration mapping. */
  public static final class RateConverter implements Converter<Rate> {
    @Override
    public Rate convert(String value) {
      return parse(value);
    }
  }
}
