package io.huddle.auth;

/** A CDI event: a token was revoked by logout (fired after the revocation is committed). */
public record SessionRevoked(String jti, long userId) {}
