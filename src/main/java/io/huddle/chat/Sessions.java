package io.huddle.chat;

import io.huddle.auth.AuthUser;
import io.huddle.auth.RevocationService;
import io.huddle.auth.SessionRevoked;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The session behind every open room socket (its user, token id and expiry), so that a session that
 * ends closes its sockets on every node:
 *
 * <ul>
 *   <li>logout: the revocation goes through the broker to every node at once ({@value LOGGED_OUT});
 *   <li>expiry: a socket closes when its token expires, plus the clock-skew allowance REST also
 *       grants ({@value EXPIRED}), unless the client presented a fresh token in time;
 *   <li>a check against PostgreSQL every {@code huddle.limits.session-check-interval} closes what
 *       the broker's at-most-once delivery missed, and the sockets of deleted accounts ({@value
 *       ACCOUNT_GONE}).
 * </ul>
 */
@ApplicationScoped
public class Sessions {
  /** Close code: the token was revoked (logout). The client must log in again. */
  public static final int LOGGED_OUT = 4001;

  /** Close code: the token expired. The client must log in again (or refresh before expiry). */
  public static final int EXPIRED = 4002;

  /** Close code: the account no longer exists. */
  public static final int ACCOUNT_GONE = 4003;

  /** The broker frame that ends a token's sessions on every node; never sent to a client. */
  static final String SESSION_END = "session-end";

  /** One socket's session; the token may be replaced by a refresh. */
  private static final class Session {
    final long userId;
    volatile String jti;
    volatile Instant expiresAt;

    Session(AuthUser user) {
      this.userId = user.id();
      this.jti = user.jti();
      this.expiresAt = user.expiresAt();
    }
  }

  private final ConcurrentHashMap<WebSocketConnection, Session> open = new ConcurrentHashMap<>();
  private final RevocationService revocations;
  private final Instance<Broker> brokers;
  private final Duration skew;

  public Sessions(
      RevocationService revocations,
      Instance<Broker> brokers,
      @ConfigProperty(name = "mp.jwt.verify.clock.skew", defaultValue = "60") int skewSeconds) {
    this.revocations = revocations;
    this.brokers = brokers;
    // SmallRye JWT ignores a value <= 0 and keeps its default of 60 s: so does this.
    this.skew = Duration.ofSeconds(skewSeconds > 0 ? skewSeconds : 60);
  }

  void opened(WebSocketConnection connection, AuthUser user) {
    open.put(connection, new Session(user));
  }

  void closed(WebSocketConnection connection) {
    open.remove(connection);
  }

  /** Open sockets on this node (for tests and metrics). */
  int size() {
    return open.size();
  }

  /** After logout commits: end the token's sockets on every node (this one at once). */
  void onRevoked(@Observes(during = TransactionPhase.AFTER_SUCCESS) SessionRevoked revoked) {
    brokers.get().publish(ChatFrame.sessionEnd(revoked.jti()));
  }

  /** A session-end frame from the broker (local or from another node). */
  void ended(ChatFrame frame) {
    String jti = frame.clientId();
    open.forEach(
        (connection, session) -> {
          if (session.jti.equals(jti)) {
            close(connection, LOGGED_OUT, "Logged out");
          }
        });
  }

  /** Closes sockets whose token has expired (plus the clock-skew allowance). */
  @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void closeExpired() {
    Instant now = Instant.now();
    open.forEach(
        (connection, session) -> {
          if (session.expiresAt.plus(skew).isBefore(now)) {
            close(connection, EXPIRED, "Token expired");
          }
        });
  }

  /**
   * Asks PostgreSQL which open sessions have ended: a logout whose broker message this node missed,
   * or an account deleted. An outage leaves open sockets open (they were authenticated; new ones
   * are refused with 503 until the database answers).
   */
  @Scheduled(
      every = "${huddle.limits.session-check-interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void checkWithDatabase() {
    Map<String, Long> sessions = new HashMap<>();
    open.values().forEach(s -> sessions.put(s.jti, s.userId));
    Map<String, Boolean> ended;
    try {
      ended = revocations.endedAmong(sessions);
    } catch (RuntimeException e) {
      Log.debugf("Session check skipped: %s", e.getMessage());
      return;
    }
    if (ended.isEmpty()) {
      return;
    }
    open.forEach(
        (connection, session) -> {
          Boolean revoked = ended.get(session.jti);
          if (revoked != null) {
            close(
                connection,
                revoked ? LOGGED_OUT : ACCOUNT_GONE,
                revoked ? "Logged out" : "Account deleted");
          }
        });
  }

  private void close(WebSocketConnection connection, int code, String reason) {
    if (open.remove(connection) == null) {
      return;
    }
    connection.close(new CloseReason(code, reason)).subscribe().with(ok -> {}, failure -> {});
  }
}
