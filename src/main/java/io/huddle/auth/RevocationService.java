package io.huddle.auth;

import io.agroal.api.AgroalDataSource;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Tokens revoked by logout. Kept in PostgreSQL so that every replica refuses them, and only until
 * they would have expired anyway.
 */
@ApplicationScoped
public class RevocationService {
  private final AgroalDataSource dataSource;

  public RevocationService(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
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
  }

  /**
   * Asked on every authenticated request and WebSocket upgrade, so it is one plain JDBC query:
   * neither a JTA transaction nor a Hibernate session (they were a third of a handshake's cost).
   */
  public boolean isRevoked(String jti) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement q = c.prepareStatement("SELECT 1 FROM revoked_tokens WHERE jti = ?")) {
      q.setString(1, jti);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot check token revocation", e);
    }
  }
}
