package io.huddle.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.huddle.support.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Health and metrics (per-endpoint counters, file descriptors, every check's details) are served
 * only on the management interface, never on the public HTTP port; the API documentation stays
 * public.
 */
@QuarkusTest
class ManagementInterfaceTest {

  @Test
  void theManagementInterfaceHasAPortOfItsOwn() {
    assertNotEquals(RestAssured.port, Management.base().getPort());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/q/health", "/q/health/live", "/q/health/ready", "/q/health/started"})
  void healthIsOnTheManagementPort(String path) {
    Management.given().get(path).then().statusCode(200).body("status", equalTo("UP"));
  }

  @Test
  void metricsAreOnTheManagementPort() {
    given().get("/api/v1/user/me").then().statusCode(401);
    Management.given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("huddle_connections_open"))
        // The per-endpoint counters that must not be public.
        .body(containsString("http_server_requests_seconds_count{"))
        .body(containsString("uri=\"/api/v1/user/me\""));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/q/health",
        "/q/health/",
        "/q/health/live",
        "/q/health/ready",
        "/q/health/started",
        "/q/health/well",
        "/q/metrics",
        "/q/metrics/"
      })
  void thePublicPortHasNeither(String path) {
    given()
        .redirects()
        .follow(false)
        .get(path)
        .then()
        .statusCode(404)
        .body("error", equalTo("Not found"));
  }

  @Test
  void theApiDocumentationStaysOnThePublicPort() {
    given().get("/q/openapi").then().statusCode(200);
    given().get("/q/swagger-ui/").then().statusCode(200);
    Management.given().get("/q/openapi").then().statusCode(404);
    Management.given().get("/q/swagger-ui/").then().statusCode(404);
  }
}
