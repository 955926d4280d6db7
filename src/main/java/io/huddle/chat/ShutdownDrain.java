package io.huddle.chat;

import io.quarkus.logging.Log;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Shutdown without losing clients: new sockets are refused (and readiness goes DOWN) as soon as
 * shutdown begins, and after the shutdown delay the open ones are closed with 1001 so that their
 * clients reconnect to another replica.
 */
@ApplicationScoped
class ShutdownDrain {
  /** The Hub's members, a live view taken once: the drain runs while the application stops. */
  private final Collection<Member> members;

  private final Optional<Duration> shutdownDelay;
  private volatile boolean draining;

  ShutdownDrain(
      Hub hub, @ConfigProperty(name = "quarkus.shutdown.delay") Optional<Duration> shutdownDelay) {
    this.members = hub.liveMembers();
    this.shutdownDelay = shutdownDelay;
  }

  /** False once shutdown has begun: new sockets are refused and readiness reports DOWN. */
  boolean accepting() {
    return !draining;
  }

  /** The shutdown delay (if configured) starts: refuse new sockets, let the balancer notice. */
  void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
    draining = true;
  }

  /**
   * Quarkus waits for open requests (every WebSocket is one) before it fires ShutdownEvent, so the
   * sockets must be closed from the signal itself: a JVM shutdown hook runs as SIGTERM arrives,
   * refuses new sockets at once, and after the shutdown delay closes the open ones with 1001.
   */
  void onStart(@Observes StartupEvent event) {
    if (LaunchMode.current() == LaunchMode.NORMAL) {
      Runtime.getRuntime().addShutdownHook(new Thread(this::drainOnSignal, "huddle-drain"));
    }
  }

  private void drainOnSignal() {
    draining = true;
    try {
      Thread.sleep(shutdownDelay.orElse(Duration.ZERO).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeAll();
  }

  /** Runs before the message writer commits what is queued (a later observer). */
  void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
    draining = true;
    closeAll();
  }

  /** Closes every socket with 1001 so clients reconnect to another replica. */
  private void closeAll() {
    List<Member> open = new ArrayList<>(members);
    if (open.isEmpty()) {
      return;
    }
    Log.infof("Shutting down: closing %d WebSocket(s) with 1001", open.size());
    CountDownLatch closed = new CountDownLatch(open.size());
    for (Member member : open) {
      member.runOnContext(
          () ->
              SocketClose.quietly(
                  member.connection,
                  SocketClose.GOING_AWAY,
                  "Server shutting down",
                  closed::countDown));
    }
    try {
      closed.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
