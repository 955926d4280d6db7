package io.huddle.auth;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * What a token check asks PostgreSQL, kept in memory so that it costs no query and no hop to a
 * worker thread: the tokens revoked by logout (all of them: they are few and short-lived) and the
 * accounts known to exist (filled as tokens are checked). Every replica keeps its own copy current
 * through PostgreSQL LISTEN/NOTIFY: migration V3's triggers notify channel {@value #CHANNEL} when a
 * token is revoked or an account deleted, by Huddle or by anyone's SQL, as the change commits.
 *
 * <p>The copy is trusted only while the listening connection is up and has been checked within
 * {@link #LIVENESS_MILLIS}: until then, and from the moment it fails, {@link #answer} has no answer
 * and every check asks the database as before (so an outage still answers 503). After a
 * reconnection the revoked tokens are loaded again (after LISTEN, so nothing falls between) and the
 * known accounts are forgotten. The worst-case delay before another replica refuses a revoked token
 * or a deleted account is the notification's own (milliseconds on one network).
 */
@ApplicationScoped
public class SessionCache {
  static final String CHANNEL = "huddle_sessions";

  /** How often the listening connection is checked with a query, and how long a check holds. */
  static final long LIVENESS_MILLIS = 2_000;

  private static final int MAX_KNOWN_ACCOUNTS = 1_000_000;
  private static final long RETRY_MILLIS = 1_000;

  private final AgroalDataSource dataSource;

  /** Revoked token id → when it expires (after which it is refused anyway). */
  private final ConcurrentHashMap<String, Instant> revoked = new ConcurrentHashMap<>();

  private final Set<Long> knownAccounts = ConcurrentHashMap.newKeySet();

  /** Counts account deletions, so that a check racing a deletion does not re-add the account. */
  private final AtomicLong deletions = new AtomicLong();

  /** When the listening connection last answered; 0 while it is down. */
  private volatile long aliveAtMillis;

  private volatile boolean running;
  private Thread listener;

  public SessionCache(AgroalDataSource dataSource, MeterRegistry registry) {
    this.dataSource = dataSource;
    Gauge.builder("huddle.session.cache.current", this, cache -> cache.current() ? 1 : 0)
        .description("1 while token checks are answered from memory, 0 while they ask PostgreSQL")
        .register(registry);
  }

  void onStart(@Observes StartupEvent event) {
    running = true;
    listener = new Thread(this::listen, "huddle-session-listener");
    listener.setDaemon(true);
    listener.start();
  }

  void onStop(@Observes ShutdownEvent event) {
    running = false;
    if (listener != null) {
      listener.interrupt();
    }
  }

  /** Whether the copy may be trusted now. */
  public boolean current() {
    long alive = aliveAtMillis;
    return alive != 0 && System.currentTimeMillis() - alive < 2 * LIVENESS_MILLIS;
  }

  /**
   * The state of a verified token, if memory can tell: empty while the copy is not current or the
   * account is not known yet (then ask the database, and {@link #learn} from its answer).
   */
  public Optional<RevocationService.TokenState> answer(String jti, long userId) {
    if (!current()) {
      return Optional.empty();
    }
    if (revoked.containsKey(jti)) {
      return Optional.of(RevocationService.TokenState.REVOKED);
    }
    return knownAccounts.contains(userId)
        ? Optional.of(RevocationService.TokenState.VALID)
        : Optional.empty();
  }

  /** The current deletion count, to pass to {@link #learn} with a database answer. */
  public long deletionCount() {
    return deletions.get();
  }

  /** What the database said of a token, asked when {@code deletionCount()} was {@code before}. */
  public void learn(long userId, RevocationService.TokenState state, long before) {
    if (state != RevocationService.TokenState.VALID || deletions.get() != before) {
      return;
    }
    if (knownAccounts.size() >= MAX_KNOWN_ACCOUNTS) {
      knownAccounts.clear();
    }
    knownAccounts.add(userId);
  }

  /** After a logout commits on this node: refused here at once, before the notification. */
  void onRevoked(@Observes(during = TransactionPhase.AFTER_SUCCESS) SessionRevoked event) {
    revoked.put(event.jti(), event.expiresAt());
  }

  private void listen() {
    boolean failedBefore = false;
    while (running) {
      try (Connection connection = dataSource.getConnection()) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("LISTEN " + CHANNEL);
        }
        knownAccounts.clear();
        load(connection);
        aliveAtMillis = System.currentTimeMillis();
        if (failedBefore) {
          Log.info("Token checks are answered from memory again");
          failedBefore = false;
        }
        follow(connection);
      } catch (SQLException | RuntimeException e) {
        if (!running) {
          break;
        }
        if (!failedBefore) {
          Log.warnf(
              "Token checks ask PostgreSQL until the session notifications are back: %s",
              e.getMessage());
          failedBefore = true;
        }
      } finally {
        aliveAtMillis = 0;
      }
      sleep(RETRY_MILLIS);
    }
  }

  private void load(Connection connection) throws SQLException {
    revoked.clear();
    try (Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT jti, expires_at FROM revoked_tokens WHERE expires_at > now()")) {
      while (rs.next()) {
        revoked.put(rs.getString(1), rs.getTimestamp(2).toInstant());
      }
    }
  }

  private void follow(Connection connection) throws SQLException {
    PGConnection pg = connection.unwrap(PGConnection.class);
    long nextCheck = System.currentTimeMillis() + LIVENESS_MILLIS;
    while (running) {
      PGNotification[] notifications = pg.getNotifications((int) LIVENESS_MILLIS / 2);
      if (notifications != null) {
        for (PGNotification notification : notifications) {
          apply(notification.getParameter());
        }
      }
      if (System.currentTimeMillis() >= nextCheck) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("SELECT 1");
        }
        aliveAtMillis = System.currentTimeMillis();
        nextCheck = aliveAtMillis + LIVENESS_MILLIS;
        Instant now = Instant.now();
        revoked.values().removeIf(expiry -> expiry.isBefore(now.minusSeconds(3600)));
      }
    }
  }

  /** One notification: {@code t:<expiry epoch seconds>:<jti>} or {@code u:<account id>}. */
  void apply(String payload) {
    try {
      if (payload.startsWith("t:")) {
        int colon = payload.indexOf(':', 2);
        revoked.put(
            payload.substring(colon + 1),
            Instant.ofEpochSecond(Long.parseLong(payload.substring(2, colon))));
      } else if (payload.startsWith("u:")) {
        deletions.incrementAndGet();
        knownAccounts.remove(Long.parseLong(payload.substring(2)));
      }
    } catch (RuntimeException e) {
      Log.warnf("Ignoring a malformed session notification %s", payload);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
