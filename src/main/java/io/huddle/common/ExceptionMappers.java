package io.huddle.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.huddle.limit.RateLimitedException;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.hibernate.exception.JDBCConnectionException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps every failure to {@code {"error": "..."}}; internal details only reach the log. */
public class ExceptionMappers {

  @ServerExceptionMapper
  public Response api(ApiException e) {
    if (e instanceof RateLimitedException limited) {
      return Response.fromResponse(error(429, e.getMessage()))
          .header("Retry-After", limited.retryAfterSeconds())
          .build();
    }
    return error(e.status(), e.getMessage());
  }

  // MismatchedInputException is named too: Quarkus REST has a built-in mapper for it that answers
  // an empty 400, and the most specific mapper wins.
  @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class})
  public Response json(Exception e) {
    return error(400, jsonSentence(e));
  }

  /**
   * Names the field when Jackson knows it: a string that {@link StrictText} refuses, or another
   * JSON type where a string belongs. Jackson's own messages name Java types, so they stay in here.
   */
  static String jsonSentence(Exception e) {
    if (e instanceof MismatchedInputException m && m.getTargetType() == String.class) {
      String field = fieldOf(m);
      if (field != null) {
        return field
            + " "
            + (m instanceof StrictJson.InvalidText ? m.getOriginalMessage() : "must be a string");
      }
    }
    return "The request body is not valid JSON for this endpoint";
  }

  private static String fieldOf(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.isEmpty() ? null : path.toString();
  }

  @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
  public Response unauthorized(RuntimeException e) {
    return error(401, "Authentication required: log in and send the token");
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e) {
    return error(403, "You are not allowed to do this");
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    if (status >= 500) {
      Log.error("Request failed", e);
      return error(status, "Internal server error");
    }
    return error(status, sentenceFor(status));
  }

  @ServerExceptionMapper({JDBCConnectionException.class, DatabaseUnavailableException.class})
  public Response databaseDown(RuntimeException e) {
    return unavailable(e);
  }

  @ServerExceptionMapper
  public Response unexpected(Exception e) {
    if (DatabaseUnavailableException.isCause(e)) {
      return unavailable(e);
    }
    Log.error("Unexpected failure while handling a request", e);
    return error(500, "Internal server error");
  }

  /** Seconds a client should wait before retrying while PostgreSQL is unreachable. */
  static final int OUTAGE_RETRY_AFTER_SECONDS = 5;

  private static Response unavailable(Exception e) {
    // One line, no stack trace: an outage makes every request fail the same way.
    Log.warnf("Database unreachable: %s", e.getMessage());
    return Response.fromResponse(error(503, "The database is unavailable; try again shortly"))
        .header("Retry-After", OUTAGE_RETRY_AFTER_SECONDS)
        .build();
  }

  private static String sentenceFor(int status) {
    return switch (status) {
      case 400 -> "The request is malformed: check the JSON body and the parameters";
      case 401 -> "Authentication required: log in and send the token";
      case 403 -> "You are not allowed to do this";
      case 404 -> "Not found";
      case 405 -> "Method not allowed on this path";
      case 406 -> "The requested media type is not available";
      case 415 -> "Unsupported media type: send application/json";
      default -> "The request could not be handled";
    };
  }

  public static Response error(int status, String message) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ErrorBody(message))
        .build();
  }
}
