package io.huddle.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.huddle.support.Api;
import io.huddle.support.Api.TestUser;
import io.huddle.support.Management;
import io.huddle.support.Metrics;
import io.huddle.support.SwaggerUiPage;
import io.huddle.support.WsClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged server, exactly as shipped (prod profile): the JVM jar in {@code ./mvnw verify}, the
 * native executable in {@code ./mvnw verify -Dnative}. Every part that a native image can break is
 * used once for real: REST and JSON records, bcrypt, SmallRye JWT signing and verification, token
 * revocation, Flyway and Hibernate/Panache, the WebSocket with its pre-encoded Netty fast path,
 * history and catch-up, Micrometer metrics and health (on the management port), OpenAPI, Swagger UI
 * and the web client's files.
 */
@QuarkusIntegrationTest
@WithTestResource(PackagedServerResource.class)
class PackagedServerIT {
  private static Vertx vertx;

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void close() {
    vertx.close();
  }

  private static URI base() {
    return URI.create("http://127.0.0.1:" + RestAssured.port + "/");
  }

  private static WsClient join(TestUser user, String room, String query) {
    WsClient client =
        WsClient.open(
            vertx,
            WsClient.toPath(base(), "/api/v1/ws/joinRoom/" + room + query).bearer(user.token()));
    client.nextOfType("history");
    return client;
  }

  @Test
  void healthAndMetricsOnlyOnTheManagementPort() {
    assertNotEquals(RestAssured.port, Management.base().getPort());
    Management.given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    Management.given().get("/q/health/live").then().statusCode(200);
    Management.given().get("/q/health/started").then().statusCode(200);
    Management.given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("huddle_connections_open"));
    // The public port has none of them (nor a redirect to them).
    for (String path :
        new String[] {"/q/health", "/q/health/ready", "/q/health/live", "/q/metrics"}) {
      given().redirects().follow(false).get(path).then().statusCode(404);
    }
    // API documentation stays on the public port, where Swagger UI loads it from.
    Management.given().get("/q/openapi").then().statusCode(404);
  }

  @Test
  void documentationAndClientFiles() {
    given()
        .accept(ContentType.JSON)
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body(containsString("/api/v1/user/signup"));
    // Swagger UI as shipped (prod profile): its policy allows every inline script of its page.
    var swaggerUi = given().get("/q/swagger-ui/").then().statusCode(200).extract();
    String csp = swaggerUi.header("Content-Security-Policy");
    List<String> hashes = SwaggerUiPage.inlineScriptHashes(swaggerUi.asString());
    assertEquals(2, hashes.size(), swaggerUi.asString());
    for (String hash : hashes) {
      assertTrue(csp.contains(hash), hash + " is not in " + csp);
    }
    assertTrue(csp.contains("frame-ancestors 'none'"), csp);
    assertEquals("DENY", swaggerUi.header("X-Frame-Options"));
    given().get("/").then().statusCode(200).body(containsString("<html"));
    given().get("/js/main.js").then().statusCode(200);
  }

  @Test
  void accountsTokensAndRevocation() {
    TestUser alice = Api.newUser();
    given()
        .auth()
        .oauth2(alice.token())
        .get("/api/v1/user/me")
        .then()
        .statusCode(200)
        .body("username", equalTo(alice.username()))
        .body("email", equalTo(alice.email()));
    // Token checks are answered from memory: the LISTEN connection works here too (in the native
    // executable as well; a silent fall-back to a query per check would show only in latency).
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Metrics.value("huddle_session_cache_current") == 1.0);
    // Wrong password and invalid input: JSON errors, never a 500.
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("email", alice.email(), "password", "not the password"))
        .post("/api/v1/user/login")
        .then()
        .statusCode(401)
        .body("error", equalTo("Email or password is incorrect"));
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("username", "x", "email", "bad", "password", "short"))
        .post("/api/v1/user/signup")
        .then()
        .statusCode(400)
        .body("error", notNullValue());
    given().auth().oauth2("not.a.token").get("/api/v1/user/me").then().statusCode(401);

    given().auth().oauth2(alice.token()).post("/api/v1/user/logout").then().statusCode(200);
    given().auth().oauth2(alice.token()).get("/api/v1/user/me").then().statusCode(401);
  }

  @Test
  void chatThroughTheFastPathWithHistoryAndCatchUp() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newRoom(alice);
    given()
        .auth()
        .oauth2(bob.token())
        .get("/api/v1/ws/getRooms")
        .then()
        .statusCode(200)
        .body("rooms.id", hasItem(room));

    long seq;
    try (WsClient a = join(alice, room, "");
        WsClient b = join(bob, room, "")) {
      // Every open socket of this server writes through the pre-encoded Netty path: if the
      // internals NettyFrames relies on were missing (an upgrade, or a native image without
      // their reflection metadata), Huddle would fall back to the public API and this fails.
      assertEquals(
          Metrics.value("huddle_connections_open"), Metrics.value("huddle_connections_fast_path"));
      assertTrue(Metrics.value("huddle_connections_open") >= 2);

      a.send("{\"type\":\"message\",\"content\":\"héllo from alice €\",\"clientId\":\"c1\"}");
      JsonNode ack = a.nextOfType("ack");
      assertEquals("c1", ack.path("clientId").asText());
      seq = ack.path("seq").asLong();
      assertEquals(1, seq);
      JsonNode delivered = b.nextOfType("message");
      assertEquals("héllo from alice €", delivered.path("content").asText());
      assertEquals(alice.username(), delivered.path("username").asText());
      assertEquals(seq, delivered.path("seq").asLong());

      given()
          .auth()
          .oauth2(alice.token())
          .get("/api/v1/ws/get/" + room)
          .then()
          .statusCode(200)
          .body("username", hasItems(alice.username(), bob.username()));
    }

    reconnectSince(bob, room, seq);
    given()
        .auth()
        .oauth2(bob.token())
        .get("/api/v1/rooms/" + room + "/messages?limit=10")
        .then()
        .statusCode(200)
        .body("messages", hasSize(2))
        .body("messages[0].content", equalTo("héllo from alice €"))
        .body("hasMore", equalTo(false));
    assertTrue(Metrics.value("huddle_messages_stored_total") >= 2);
    // Resident memory is reported by the JVM and the native executable alike.
    assertTrue(Metrics.value("huddle_process_resident_memory_bytes") > 16 * 1024 * 1024);
  }

  /** Bob reconnects after seq, misses nothing, and sends a plain-text message. */
  private static void reconnectSince(TestUser bob, String room, long seq) {
    try (WsClient b =
        WsClient.open(
            vertx,
            WsClient.toPath(base(), "/api/v1/ws/joinRoom/" + room + "?since=" + (seq - 1))
                .bearer(bob.token()))) {
      JsonNode history = b.nextOfType("history");
      assertEquals(1, history.path("messages").size(), history.toString());
      assertEquals(seq, history.path("messages").get(0).path("seq").asLong());
      b.send("plain text from bob");
      assertEquals("plain text from bob", b.nextOfType("message").path("content").asText());
    }
  }
}
