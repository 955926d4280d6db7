package io.huddle.web;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * Security headers for the web client (META-INF/resources) and, because they cost nothing there,
 * for the API too. The policy allows only Huddle's own scripts, styles and connections: no inline
 * code, no CDN, no framing, and DOM sinks such as innerHTML are refused outright (Trusted Types),
 * so chat content can only ever reach the page as text.
 *
 * <p>Swagger UI (/q/swagger-ui/) gets a policy of its own: its page runs two inline scripts and its
 * code writes one style element, which are allowed by their SHA-256 hashes (not 'unsafe-inline');
 * it writes innerHTML, so no Trusted Types. Dev UI (dev mode only) runs inline scripts too and gets
 * no CSP.
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
   * SHA-256 of the inline scripts of Swagger UI's index.html, which Quarkus generates at build time
   * from smallrye-open-api-ui's template and the quarkus.swagger-ui.* settings (the title is set so
   * that the Quarkus version is not part of them). They change only when that template or those
   * settings change: SecurityHeadersTest hashes the served page and names the new values, and the
   * browser test fails if Swagger UI does not render.
   */
  static final List<String> SWAGGER_UI_SCRIPT_HASHES =
      List.of(
          // window.onload = function() { ... SwaggerUIBundle({...}) }
          "'sha256-84QDmy/AS+N2eQB6/34srzSWISXFKUPE3FG3SiuTteU='",
          // waitForSwaggerUI(): the logo link in the top bar
          "'sha256-4nR80CEco+NgZoxVZUPcC1e3MH6pAA/4W3mepdUHB78='");

  /**
   * SHA-256 of the one style element Swagger UI's own code writes: the colours of the small Swagger
   * logo (a React {@code <style>} in swagger-ui-standalone-preset.js). SecurityHeadersTest hashes
   * the literal in the served file.
   */
  static final List<String> SWAGGER_UI_STYLE_HASHES =
      List.of("'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='");

  /**
   * Swagger UI: its own files, its inline scripts and style element by hash, data: images from its
   * style sheets, and requests ("Try it out") only to this server.
   */
  static final String SWAGGER_UI_CSP =
      String.join(
          "; ",
          "default-src 'self'",
          "script-src 'self' " + String.join(" ", SWAGGER_UI_SCRIPT_HASHES),
          "style-src 'self' " + String.join(" ", SWAGGER_UI_STYLE_HASHES),
          "img-src 'self' data:",
          "connect-src 'self'",
          "object-src 'none'",
          "base-uri 'none'",
          "form-action 'self'",
          "frame-ancestors 'none'");

  /**
   * Runs before the routes (static files, REST, the WebSocket upgrade) and adds its headers last.
   */
  static final int PRIORITY = 1000;

  void register(@Observes Filters filters) {
    filters.register(SecurityHeaders::onRequest, PRIORITY);
  }

  private static void onRequest(RoutingContext rc) {
    String path = rc.normalizedPath();
    boolean swaggerUi = path.startsWith("/q/swagger-ui");
    boolean tooling = path.startsWith("/q/") || path.equals("/q");
    boolean clientFile = !tooling && !path.startsWith("/api/");
    String csp = swaggerUi ? SWAGGER_UI_CSP : tooling ? null : CSP;
    HttpMethod method = rc.request().method();
    boolean read = method == HttpMethod.GET || method == HttpMethod.HEAD;
    rc.addHeadersEndHandler(
        ignored -> {
          MultiMap headers = rc.response().headers();
          headers.set("X-Content-Type-Options", "nosniff");
          headers.set("Referrer-Policy", "no-referrer");
          if (csp != null) {
            headers.set("Content-Security-Policy", csp);
            // frame-ancestors for browsers that predate CSP 2.
            headers.set("X-Frame-Options", "DENY");
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
