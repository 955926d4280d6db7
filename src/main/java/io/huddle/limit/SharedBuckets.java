package io.huddle.limit;

/**
 * Token buckets every replica shares (Redis when {@code huddle.broker=redis}). A failure throws,
 * and the caller falls back to its own node's bucket: a Redis outage loosens a limit to per-node,
 * it never opens it.
 */
public interface SharedBuckets {

  /**
   * Takes one token (or only looks, when {@code take} is false) from the bucket of this limit and
   * key.
   *
   * @return 0 when a token was (or is) available, else the milliseconds until one is
   */
  long take(String limit, String key, Rate rate, boolean take);
}
