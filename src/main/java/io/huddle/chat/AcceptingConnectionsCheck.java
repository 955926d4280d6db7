package io.huddle.chat;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness goes DOWN as soon as shutdown begins, before any socket is closed. */
@Readiness
@ApplicationScoped
public class AcceptingConnectionsCheck implements HealthCheck {
  private final ShutdownDrain drain;

  public AcceptingConnectionsCheck(ShutdownDrain drain) {
    this.drain = drain;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("Accepting WebSocket connections")
        .status(drain.accepting())
        .build();
  }
}
