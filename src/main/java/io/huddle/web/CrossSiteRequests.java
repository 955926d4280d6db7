package io.huddle.web;

import io.huddle.chat.OriginPolicy;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;

/**
 * Recognises a request that a browser sent on behalf of another site, for the state-changing calls
 * that cannot require a JSON body (GET logout, which the Go server's clients use, and POST logout
 * without a body). The access_token cookie is SameSite=Lax, so it rides along on a cross-site
 * top-level GET (a link) and, in some browsers, on a same-site subresource request.
 *
 * <p>Only evidence counts: {@code Sec-Fetch-Site} (sent by current browsers and not settable by a
 * page) saying {@code cross-site} or {@code same-site}, or an {@code Origin} that {@link
 * OriginPolicy} would refuse for the socket. A request with neither header (curl, the Go clients,
 * an old browser following a link) is allowed.
 */
@ApplicationScoped
public class CrossSiteRequests {
  private final OriginPolicy origins;

  public CrossSiteRequests(OriginPolicy origins) {
    this.origins = origins;
  }

  public boolean evident(HttpServerRequest request) {
    String site = request.getHeader("Sec-Fetch-Site");
    if (site != null) {
      String value = site.trim().toLowerCase(Locale.ROOT);
      if (value.equals("cross-site") || value.equals("same-site")) {
        return true;
      }
    }
    return !origins.allows(request);
  }
}
