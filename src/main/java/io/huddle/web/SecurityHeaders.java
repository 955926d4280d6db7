package io.huddle.web;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Security headers for the web client (META-INF/resources) and, because they cost nothing there,
 * for the API too. The policy allows only Huddle's own scripts, styles and connections: no inline
 * code, no CDN, no framing, and DOM sinks such as innerHTML are refused outright (Trusted Types),
 * so chat content can only ever reach the page as text.
 *
 * <p>Dev UI and Swagger UI under /q/ run inline scripts, so they get no CSP.
 */
@ApplicationScoped
public class SecurityHeaders {
  // 'self' in connect-src also covers ws:/wss: to the same host and port (CSP Level 3; the browser
  // test checks that the room socket opens under this policy).
  static final String CSP =
      String.join(
          "; ",
          "default-src 'self'",
          "script-src 'self'",
          "style-src 'self'",
          "img-src 'self'",
          "connect-src 'self'",
          "object-src 'none'",
          "base-uri 'none'",
          "form-action 'self'",
          "frame-ancestors 'none'",
          "require-trusted-types-for 'script'",
          "trusted-types 'none'");

  /**
   * Runs before the routes (static files, REST, the WebSocket upgrade) and adds its headers last.
   */
  static final int PRIORITY = 1000;

  void register(@Observes Filters filters) {
    filters.register(SecurityHeaders::onRequest, PRIORITY);
  }

  private static void onRequest(RoutingContext rc) {
    String path = rc.normalizedPath();
    boolean tooling = path.startsWith("/q/") || path.equals("/q");
    boolean clientFile = !tooling && !path.startsWith("/api/");
    HttpMethod method = rc.request().method();
    boolean read = method == HttpMethod.GET || method == HttpMethod.HEAD;
    rc.addHeadersEndHandler(
        ignored -> {
          MultiMap headers = rc.response().headers();
          headers.set("X-Content-Type-Options", "nosniff");
          headers.set("Referrer-Policy", "no-referrer");
          if (!tooling) {
            headers.set("Content-Security-Policy", CSP);
          }
          if (clientFile && read) {
            // The client is plain ES modules without content hashes in their names: revalidate
            // (Last-Modified) so an upgrade of the server never mixes old and new modules.
            headers.set("Cache-Control", "no-cache");
          }
        });
    rc.next();
  }
}
