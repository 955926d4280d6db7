package io.huddle.limit;

import io.huddle.common.ApiException;

/** 429 Too Many Requests, with the seconds to wait for {@code Retry-After}. */
public class RateLimitedException extends ApiException {
  private final long retryAfterSeconds;

  public RateLimitedException(String message, long retryAfterNanos) {
    super(429, message);
    this.retryAfterSeconds = Math.max(1, (retryAfterNanos + 999_999_999L) / 1_000_000_000L);
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
