package io.huddle.common;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * The client's address for per-address limits: the TCP peer, or the address a trusted proxy put in
 * {@code X-Forwarded-For}/{@code Forwarded} when {@code quarkus.http.proxy.*} is configured to
 * trust it (Quarkus rewrites the remote address itself; an untrusted header is ignored).
 */
public final class ClientAddress {
  private ClientAddress() {}

  public static String of(HttpServerRequest request) {
    SocketAddress remote = request == null ? null : request.remoteAddress();
    if (remote == null) {
      return "unknown";
    }
    String host = remote.hostAddress();
    return host != null ? host : remote.host();
  }
}
