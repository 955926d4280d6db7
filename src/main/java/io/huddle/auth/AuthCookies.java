package io.huddle.auth;

import io.huddle.common.HuddleConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The access_token cookie: HttpOnly, SameSite=Lax, Path=/, Max-Age = token lifetime, Secure where
 * configured. Written as a plain Set-Cookie value so the attributes are exactly these (JAX-RS
 * NewCookie adds a legacy Version attribute).
 */
@ApplicationScoped
public class AuthCookies {
  public static final String NAME = "access_token";
  public static final String HEADER = "Set-Cookie";

  private final HuddleConfig config;

  public AuthCookies(HuddleConfig config) {
    this.config = config;
  }

  public String issue(String token) {
    return build(token, config.token().lifetime().toSeconds());
  }

  public String clear() {
    return build("", 0);
  }

  private String build(String value, long maxAge) {
    return NAME
        + "="
        + value
        + "; Path=/; Max-Age="
        + maxAge
        + "; HttpOnly; SameSite=Lax"
        + (config.token().cookieSecure() ? "; Secure" : "");
  }
}
