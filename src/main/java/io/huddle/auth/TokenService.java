package io.huddle.auth;

import io.huddle.common.HuddleConfig;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.UUID;

/** Issues signed tokens; SmallRye JWT verifies them on every request and WebSocket upgrade. */
@ApplicationScoped
public class TokenService {
  public static final String USERNAME_CLAIM = "username";

  private final HuddleConfig config;

  public TokenService(HuddleConfig config) {
    this.config = config;
  }

  public record IssuedToken(String token, String jti, Instant expiresAt) {}

  public IssuedToken issue(long userId, String username) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant expiresAt = now.plus(config.token().lifetime());
    String jti = UUID.randomUUID().toString();
    String token =
        Jwt.subject(String.valueOf(userId))
            .upn(username)
            .claim(USERNAME_CLAIM, username)
            .claim("jti", jti)
            .groups(Set.of("user"))
            .issuedAt(now)
            .expiresAt(expiresAt)
            .sign();
    return new IssuedToken(token, jti, expiresAt);
  }
}
