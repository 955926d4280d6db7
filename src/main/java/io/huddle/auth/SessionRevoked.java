package io.huddle.auth;

import java.time.Instant;

/** A CDI event: a token was revoked by logout (fired after the revocation is committed). */
public record SessionRevoked(String jti, long userId, Instant expiresAt) {}
