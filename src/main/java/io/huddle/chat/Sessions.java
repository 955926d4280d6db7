package io.huddle.chat;

import io.huddle.auth.AuthUser;
import io.huddle.auth.RevocationService;
import io.huddle.auth.RevocationService.TokenState;
import io.huddle.auth.SessionRevoked;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

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

  /** Each open socket's session, in its user data; removed when the session ends it. */
  private static final TypedKey<Session> SESSION = new TypedKey<>("huddle.session");

  private final OpenSockets sockets;
  private final RevocationService revocations;
  private final Instance<Broker> brokers;
  private final Duration skew;
  private final JWTParser parser;

  public Sessions(
      OpenSockets sockets,
      RevocationService revocations,
      Instance<Broker> brokers,
      JWTParser parser,
      @ConfigProperty(name = "mp.jwt.verify.clock.skew", defaultValue = "60") int skewSeconds) {
    this.sockets = sockets;
    this.revocations = revocations;
    this.brokers = brokers;
    this.parser = parser;
    // SmallRye JWT ignores a value <= 0 and keeps its default of 60 s: so does this.
    this.skew = Duration.ofSeconds(skewSeconds > 0 ? skewSeconds : 60);
  }

  /** A socket counted against its user opened: it lives as long as the user's token. */
  void opened(WebSocketConnection connection, AuthUser user) {
    connection.userData().put(SESSION, new Session(user));
  }

  /** Each open socket whose session has not ended, with its session. */
  private void forEachOpen(BiConsumer<WebSocketConnection, Session> action) {
    sockets.forEach(
        connection -> {
          Session session = connection.userData().get(SESSION);
          if (session != null) {
            action.accept(connection, session);
          }
        });
  }

  /** After logout commits: end the token's sockets on every node (this one at once). */
  void onRevoked(@Observes(during = TransactionPhase.AFTER_SUCCESS) SessionRevoked revoked) {
    brokers.get().publish(ChatFrame.sessionEnd(revoked.jti()));
  }

  /** A session-end frame from the broker (local or from another node). */
  void ended(ChatFrame frame) {
    String jti = frame.clientId();
    forEachOpen(
        (connection, session) -> {
          if (session.jti.equals(jti)) {
            close(connection, LOGGED_OUT, "Logged out");
          }
        });
  }

  /**
   * A {@code refresh} frame: the client presents a new token for the same user before the socket's
   * expires; the socket then lives, and ends, with the new token. Verified like any token
   * (signature, issuer, expiry, revocation, account), off the event loop.
   *
   * @param reply sends a frame to this socket
   */
  void refresh(
      WebSocketConnection connection, long userId, String token, Consumer<ChatFrame> reply) {
    Session session = connection.userData().get(SESSION);
    if (session == null) {
      return;
    }
    Infrastructure.getDefaultWorkerPool()
        .execute(
            () -> {
              String problem;
              try {
                JsonWebToken jwt = parser.parse(token);
                if (!String.valueOf(userId).equals(jwt.getSubject())) {
                  problem = "That token is another user's";
                } else if (jwt.getTokenID() == null
                    || revocations.check(jwt.getTokenID(), userId) != TokenState.VALID) {
                  problem = "That token is no longer valid";
                } else {
                  session.jti = jwt.getTokenID();
                  session.expiresAt = Instant.ofEpochSecond(jwt.getExpirationTime());
                  reply.accept(ChatFrame.refreshed(session.expiresAt));
                  return;
                }
              } catch (ParseException e) {
                problem = "That token is not valid (expired, malformed or not signed by Huddle)";
              } catch (RuntimeException e) {
                problem = "The token cannot be checked right now: try again shortly";
              }
              reply.accept(ChatFrame.error(problem));
            });
  }

  /** Closes sockets whose token has expired (plus the clock-skew allowance). */
  @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void closeExpired() {
    Instant now = Instant.now();
    forEachOpen(
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
    forEachOpen((connection, s) -> sessions.put(s.jti, s.userId));
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
    forEachOpen(
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
    if (connection.userData().remove(SESSION) == null) {
      return;
    }
    SocketClose.quietly(connection, code, reason);
  }
}
