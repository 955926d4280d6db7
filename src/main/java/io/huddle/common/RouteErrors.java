package io.huddle.common;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The JSON error body for answers given by HTTP filters, before JAX-RS and its exception mappers:
 * the same {@code {"error": "..."}} as {@link ExceptionMappers}.
 */
public final class RouteErrors {
  private RouteErrors() {}

  public static void end(RoutingContext rc, int status, String message) {
    rc.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("error", message).encode());
  }
}
