package io.huddle.cluster;

import io.huddle.common.HuddleConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** With the Redis broker on, a node that cannot reach Redis is not ready for new clients. */
@Readiness
@ApplicationScoped
public class RedisReadinessCheck implements HealthCheck {
  private final boolean enabled;
  private final Instance<RedisBroker> broker;

  public RedisReadinessCheck(HuddleConfig config, Instance<RedisBroker> broker) {
    this.enabled = "redis".equals(config.broker());
    this.broker = broker;
  }

  @Override
  public HealthCheckResponse call() {
    var response = HealthCheckResponse.named("Redis broker");
    if (!enabled) {
      return response.up().withData("broker", "memory").build();
    }
    RedisBroker redis = broker.get();
    return response.status(redis.healthy()).withData("node", redis.nodeId()).build();
  }
}
