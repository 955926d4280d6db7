package io.huddle.web;

import io.huddle.common.RouteErrors;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import java.util.Set;

/**
 * A write to the API that carries a body must say {@code Content-Type: application/json}, or it is
 * refused with 415 before any resource reads it.
 *
 * <p>This is CSRF protection, not tidiness: a page on another site can make the browser send a form
 * (urlencoded, multipart, text/plain) or a no-cors fetch of a Blob (no Content-Type at all) with
 * the user's cookie, but cannot send {@code application/json} without a CORS preflight, which
 * Huddle never grants. JAX-RS's {@code @Consumes} refuses the form types but treats a missing
 * Content-Type as a match, so the body used to be read as JSON.
 */
@ApplicationScoped
public class JsonOnlyWrites {
  static final String MESSAGE = "Unsupported media type: send application/json";

  /** After {@link SecurityHeaders} (so a 415 gets its headers too), before the routes. */
  static final int PRIORITY = SecurityHeaders.PRIORITY - 10;

  private static final Set<HttpMethod> WRITES =
      Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

  void register(@Observes Filters filters) {
    filters.register(JsonOnlyWrites::onRequest, PRIORITY);
  }

  private static void onRequest(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    if (WRITES.contains(request.method())
        && rc.normalizedPath().startsWith("/api/")
        && hasBody(request)
        && !isJson(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
      RouteErrors.end(rc, 415, MESSAGE);
      return;
    }
    rc.next();
  }

  private static boolean hasBody(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      return !length.trim().equals("0");
    }
    return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
  }

  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return type.trim().toLowerCase(Locale.ROOT).equals("application/json");
  }
}
