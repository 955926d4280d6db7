package io.huddle.auth;

import io.agroal.api.AgroalDataSource;
import io.huddle.common.DatabaseUnavailableException;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Tokens revoked by logout. Kept in PostgreSQL so that every replica refuses them, and only until
 * they would have expired anyway.
 */
@ApplicationScoped
public class RevocationService {
  private final AgroalDataSource dataSource;
  private final Event<SessionRevoked> revoked;
  private final SessionCache cache;

  public RevocationService(
      AgroalDataSource dataSource, Event<SessionRevoked> revoked, SessionCache cache) {
    this.dataSource = dataSource;
    this.revoked = revoked;
    this.cache = cache;
  }

  @Transactional
  public void revoke(AuthUser user) {
    if (user.jti() == null) {
      return;
    }
    var em = Panache.getEntityManager();
    em.createNativeQuery(
            "INSERT INTO revoked_tokens (jti, expires_at) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
        .setParameter(1, user.jti())
        .setParameter(2, user.expiresAt())
        .executeUpdate();
    // Housekeeping on the (rare) logout path keeps the table as small as the live tokens.
    em.createNativeQuery("DELETE FROM revoked_tokens WHERE expires_at < ?1")
        .setParameter(1, Instant.now())
        .executeUpdate();
    // Observers act once this transaction has committed (the room sockets of the token close).
    revoked.fire(new SessionRevoked(user.jti(), user.id(), user.expiresAt()));
  }

  /** What PostgreSQL says of a verified token. */
  public enum TokenState {
    VALID,
    REVOKED,
    /** The account was deleted: its tokens open nothing any more. */
    NO_ACCOUNT
  }

  /**
   * The state of a verified token from memory, without blocking (see {@link SessionCache}); empty
   * when only the database can tell: then call {@link #check}, off the event loop.
   */
  public Optional<TokenState> checkInMemory(String jti, long userId) {
    return cache.answer(jti, userId);
  }

  /**
   * Asked on every authenticated request and WebSocket upgrade that memory cannot answer (see
   * {@link SessionCache}), so it is one plain JDBC query (one round trip for both checks): neither
   * a JTA transaction nor a Hibernate session (they were a third of a handshake's cost). Blocking.
   *
   * @throws DatabaseUnavailableException when PostgreSQL cannot answer (a 503, not a 401 that would
   *     log the client out, nor a 500)
   */
  public TokenState check(String jti, long userId) {
    Optional<TokenState> known = cache.answer(jti, userId);
    if (known.isPresent()) {
      return known.get();
    }
    long deletionsBefore = cache.deletionCount();
    TokenState state = query(jti, userId);
    cache.learn(userId, state, deletionsBefore);
    return state;
  }

  private TokenState query(String jti, long userId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "SELECT EXISTS (SELECT 1 FROM revoked_tokens WHERE jti = ?),"
                    + " EXISTS (SELECT 1 FROM users WHERE id = ?)")) {
      q.setString(1, jti);
      q.setLong(2, userId);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getBoolean(1)
            ? TokenState.REVOKED
            : rs.getBoolean(2) ? TokenState.VALID : TokenState.NO_ACCOUNT;
      }
    } catch (SQLException e) {
      throw new DatabaseUnavailableException(e);
    }
  }

  /**
   * Of the sessions given (token id → user id), those that must end, each with whether its token
   * was revoked (else its account no longer exists). One query for all.
   */
  public Map<String, Boolean> endedAmong(Map<String, Long> sessions) {
    if (sessions.isEmpty()) {
      return Map.of();
    }
    String[] jtis = sessions.keySet().toArray(String[]::new);
    Long[] users = sessions.keySet().stream().map(sessions::get).toArray(Long[]::new);
    try (Connection c = dataSource.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "SELECT s.jti, EXISTS (SELECT 1 FROM revoked_tokens r WHERE r.jti = s.jti)"
                    + " FROM unnest(?::text[], ?::bigint[]) AS s(jti, user_id)"
                    + " WHERE EXISTS (SELECT 1 FROM revoked_tokens r WHERE r.jti = s.jti)"
                    + " OR NOT EXISTS (SELECT 1 FROM users u WHERE u.id = s.user_id)")) {
      q.setArray(1, c.createArrayOf("text", jtis));
      q.setArray(2, c.createArrayOf("bigint", users));
      Map<String, Boolean> ended = new HashMap<>();
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          ended.put(rs.getString(1), rs.getBoolean(2));
        }
      }
      return ended;
    } catch (SQLException e) {
      throw new DatabaseUnavailableException(e);
    }
  }
}
