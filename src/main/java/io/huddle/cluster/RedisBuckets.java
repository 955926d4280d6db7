package io.huddle.cluster;

import io.huddle.common.HuddleConfig;
import io.huddle.limit.Rate;
import io.huddle.limit.SharedBuckets;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The REST limits' buckets in Redis, so that N replicas behind a load balancer allow what one node
 * would, not N times as much. One Lua script per call refills and takes atomically, on Redis's
 * clock (replicas' clocks may differ).
 */
@ApplicationScoped
@LookupIfProperty(name = "huddle.broker", stringValue = "redis")
public class RedisBuckets implements SharedBuckets {

  /** KEYS[1] the bucket; ARGV burst, tokens, period ms, take (1/0). Returns ms to wait, 0 if ok. */
  private static final String TAKE =
      """
      local burst, tokens, period, take = tonumber(ARGV[1]), tonumber(ARGV[2]),
        tonumber(ARGV[3]), tonumber(ARGV[4])
      local t = redis.call('TIME')
      local now = t[1] * 1000 + math.floor(t[2] / 1000)
      local b = redis.call('HMGET', KEYS[1], 'level', 'at')
      local level = tonumber(b[1]) or burst
      local at = tonumber(b[2]) or now
      level = math.min(burst, level + (now - at) * tokens / period)
      local wait = 0
      if level >= 1 then
        if take == 1 then level = level - 1 end
      else
        wait = math.ceil((1 - level) * period / tokens)
      end
      redis.call('HSET', KEYS[1], 'level', tostring(level), 'at', tostring(now))
      redis.call('PEXPIRE', KEYS[1], math.ceil(burst * period / tokens) + period)
      return wait
      """;

  private final RedisDataSource redis;
  private final String prefix;

  public RedisBuckets(RedisDataSource redis, HuddleConfig config) {
    this.redis = redis;
    this.prefix = config.cluster().keyPrefix() + ":limit:";
  }

  @Override
  public long take(String limit, String key, Rate rate, boolean take) {
    return redis
        .execute(
            "EVAL",
            TAKE,
            "1",
            prefix + limit + ":" + key,
            Long.toString(rate.burst()),
            Long.toString(rate.tokens()),
            Long.toString(Math.max(1, rate.period().toMillis())),
            take ? "1" : "0")
        .toLong();
  }
}
