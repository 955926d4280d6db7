package io.huddle.auth;

import java.time.Instant;

/** Who a verified token says the caller is. */
public record AuthUser(long id, String username, String jti, Instant expiresAt) {}
