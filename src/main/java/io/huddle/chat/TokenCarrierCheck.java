package io.huddle.chat;

import io.huddle.common.RouteErrors;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Checks the token carrier a browser offers as a WebSocket subprotocol ({@code
 * quarkus-http-upgrade#Authorization#Bearer <token>}, URI-encoded) before websockets-next turns it
 * into a header. Quarkus answers a malformed carrier with a 500 and an ERROR with a 70-line stack
 * trace (its handler fails the route); a client's mistake gets a 400 here instead, logged by
 * nobody.
 *
 * <p>Only {@code Authorization} may be carried: the mechanism can set any request header, and a
 * page on another site has no business setting cookies or forwarding headers on the upgrade.
 */
@ApplicationScoped
public class TokenCarrierCheck {
  static final String PREFIX = "quarkus-http-upgrade";

  /**
   * Before websockets-next's propagation filter (priority 220: authentication's 200 + 20), after
   * {@code SecurityHeaders}.
   */
  static final int PRIORITY = 900;

  void register(@Observes Filters filters) {
    filters.register(TokenCarrierCheck::onRequest, PRIORITY);
  }

  private static void onRequest(RoutingContext rc) {
    List<String> offers = rc.request().headers().getAll("Sec-WebSocket-Protocol");
    String problem = offers.isEmpty() ? null : problem(String.join(",", offers));
    if (problem != null) {
      RouteErrors.end(rc, 400, problem);
      return;
    }
    rc.next();
  }

  /** Why the offered subprotocols are refused, or null (also when no carrier is offered). */
  static String problem(String offered) {
    if (!offered.contains(PREFIX)) {
      return null;
    }
    boolean other = false;
    for (String raw : offered.split(",")) {
      String protocol = raw.trim();
      if (!protocol.startsWith(PREFIX)) {
        other |= !protocol.isEmpty();
        continue;
      }
      String decoded;
      try {
        decoded = URLDecoder.decode(protocol, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return "Malformed token subprotocol: it is not URI-encoded";
      }
      String[] parts = decoded.split("#", -1);
      if (parts.length != 3
          || !parts[0].equals(PREFIX)
          || !parts[1].equalsIgnoreCase("Authorization")
          || parts[2].isBlank()
          || parts[2].chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        return "Malformed token subprotocol: offer the URI-encoded"
            + " quarkus-http-upgrade#Authorization#Bearer <token>";
      }
    }
    if (!other) {
      return "Offer the huddle subprotocol alongside the token subprotocol";
    }
    return null;
  }
}
