package io.huddle.auth;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;

/**
 * Tokens revoked by logout. Kept in PostgreSQL so that every replica refuses them, and only until
 * they would have expired anyway.
 */
@ApplicationScoped
public class RevocationService {

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

  @Transactional
  public boolean isRevoked(String jti) {
    return Panache.getEntityManager()
            .createNativeQuery("SELECT 1 FROM revoked_tokens WHERE jti = ?1")
            .setParameter(1, jti)
            .getResultList()
            .size()
        > 0;
  }
}
