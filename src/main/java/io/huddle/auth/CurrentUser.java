package io.huddle.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The caller's identity, read only from the verified token. */
@ApplicationScoped
public class CurrentUser {
  private final CurrentIdentityAssociation identities;

  public CurrentUser(CurrentIdentityAssociation identities) {
    this.identities = identities;
  }

  /** The caller, or 401. */
  public AuthUser require() {
    return tokenIfValid().orElseThrow(UnauthorizedException::new);
  }

  /** The caller when a valid, unrevoked token came with the request; empty otherwise. */
  public Optional<AuthUser> tokenIfValid() {
    SecurityIdentity identity;
    try {
      identity = identities.getIdentity();
    } catch (AuthenticationFailedException e) {
      return Optional.empty();
    }
    return fromIdentity(identity);
  }

  public static Optional<AuthUser> fromIdentity(SecurityIdentity identity) {
    if (identity == null
        || identity.isAnonymous()
        || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
      return Optional.empty();
    }
    return Optional.of(fromToken(jwt));
  }

  public static AuthUser fromToken(JsonWebToken jwt) {
    String username = jwt.getClaim(TokenService.USERNAME_CLAIM);
    return new AuthUser(
        Long.parseLong(jwt.getSubject()),
        username != null ? username : jwt.getName(),
        jwt.getTokenID(),
        Instant.ofEpochSecond(jwt.getExpirationTime()));
  }
}
