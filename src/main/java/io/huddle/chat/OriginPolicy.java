package io.huddle.chat;

import io.huddle.common.HuddleConfig;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which browser origins may open a WebSocket. Cookie-authenticated sockets are otherwise open to
 * cross-site WebSocket hijacking, and websockets-next does not check Origin by itself.
 */
@ApplicationScoped
public class OriginPolicy {
  private final Set<String> allowed;

  public OriginPolicy(HuddleConfig config) {
    this.allowed =
        config.websocket().allowedOrigins().orElse(List.of()).stream()
            .map(OriginPolicy::normalize)
            .filter(o -> !o.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
  }

  /** No Origin (a non-browser client), the server's own origin, or a configured one. */
  public boolean allows(HttpServerRequest request) {
    String origin = request.getHeader("Origin");
    if (origin == null) {
      return true;
    }
    String normalized = normalize(origin);
    String host = request.getHeader("Host");
    if (host != null) {
      String own = request.scheme() + "://" + host;
      if (normalized.equals(normalize(own))) {
        return true;
      }
    }
    return allowed.contains(normalized);
  }

  static String normalize(String origin) {
    String o = origin.trim().toLowerCase(Locale.ROOT);
    while (o.endsWith("/")) {
      o = o.substring(0, o.length() - 1);
    }
    if (o.startsWith("http://") && o.endsWith(":80")) {
      o = o.substring(0, o.length() - 3);
    } else if (o.startsWith("https://") && o.endsWith(":443")) {
      o = o.substring(0, o.length() - 4);
    }
    return o;
  }
}
