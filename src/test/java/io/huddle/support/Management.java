package io.huddle.support;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The management interface of the server under test: health and metrics listen on a port of their
 * own, not on RestAssured's. Quarkus' {@code test.management.url} names it, for a {@code
 * QuarkusTest} (random {@code quarkus.management.test-port}) and for the packaged server that
 * {@code PackagedServerResource} gives a port.
 */
public final class Management {
  private Management() {}

  /** Scheme, host and port, e.g. {@code http://localhost:41234/}; paths start with /q/. */
  public static URI base() {
    return URI.create(ConfigProvider.getConfig().getValue("test.management.url", String.class))
        .resolve("/");
  }

  /** A RestAssured request to the management interface. */
  public static RequestSpecification given() {
    return RestAssured.given().baseUri(base().toString()).port(base().getPort());
  }
}
