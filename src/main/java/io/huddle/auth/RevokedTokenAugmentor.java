package io.huddle.auth;

import io.huddle.auth.RevocationService.TokenState;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Refuses tokens revoked by logout and tokens of deleted accounts, for REST and the WebSocket
 * upgrade alike. Answered from memory when it can be (SessionCache); otherwise the look-up runs on
 * a worker thread, never on the event loop.
 */
@ApplicationScoped
public class RevokedTokenAugmentor implements SecurityIdentityAugmentor {
  private final RevocationService revocations;

  public RevokedTokenAugmentor(RevocationService revocations) {
    this.revocations = revocations;
  }

  @Override
  public Uni<SecurityIdentity> augment(
      SecurityIdentity identity, AuthenticationRequestContext context) {
    if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
      return Uni.createFrom().item(identity);
    }
    String jti = jwt.getTokenID();
    long userId;
    try {
      userId = Long.parseLong(jwt.getSubject());
    } catch (NumberFormatException e) {
      return Uni.createFrom().failure(new AuthenticationFailedException("No user in the token"));
    }
    Optional<TokenState> known = revocations.checkInMemory(jti == null ? "" : jti, userId);
    if (jti != null && known.isPresent()) {
      // The usual case: no query, no hop to a worker thread.
      return known.get() == TokenState.VALID
          ? Uni.createFrom().item(identity)
          : Uni.createFrom()
              .failure(new AuthenticationFailedException("Token revoked or account deleted"));
    }
    return context.runBlocking(
        () -> {
          if (jti == null || revocations.check(jti, userId) != TokenState.VALID) {
            throw new AuthenticationFailedException("Token revoked or account deleted");
          }
          return identity;
        });
  }
}
