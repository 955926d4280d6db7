package io.huddle.chat;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.huddle.devdb.EmbeddedDatabaseConfigSourceFactory.EmbeddedDatabase;
import io.huddle.support.Api;
import io.huddle.support.Api.TestUser;
import io.huddle.support.Management;
import io.huddle.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Stops the embedded PostgreSQL in the middle of a conversation. Needs the embedded database the
 * tests start by default (it is skipped, and reported as skipped, against an external one).
 */
@QuarkusTest
class DatabaseOutageTest {

  @TestHTTPResource("/")
  URI base;

  @Inject Vertx vertx;

  private static String frame(String content, String clientId) {
    return "{\"type\":\"message\",\"content\":\""
        + content
        + "\",\"clientId\":\""
        + clientId
        + "\"}";
  }

  /** 503 with Retry-After and the error body, never a 500 (nor a 401 that would log out). */
  private void everyEndpointAnswers503(TestUser user, String room) {
    List<io.restassured.response.Response> answers =
        List.of(
            given().auth().oauth2(user.token()).get("/api/v1/user/me"),
            given().auth().oauth2(user.token()).get("/api/v1/ws/getRooms"),
            given().auth().oauth2(user.token()).get("/api/v1/ws/get/" + room),
            given().auth().oauth2(user.token()).get("/api/v1/rooms/" + room + "/messages"),
            given()
                .auth()
                .oauth2(user.token())
                .contentType("application/json")
                .body("{\"id\":\"during-outage\",\"name\":\"x\"}")
                .post("/api/v1/ws/createRoom"),
            given()
                .contentType("application/json")
                .body("{\"email\":\"" + user.email() + "\",\"password\":\"password123\"}")
                .post("/api/v1/user/login"),
            given().auth().oauth2(user.token()).post("/api/v1/user/logout"));
    for (io.restassured.response.Response r : answers) {
      r.then()
          .statusCode(503)
          .header("Retry-After", "5")
          .body("error", equalTo("The database is unavailable; try again shortly"));
    }
    assertEquals(503, WsClient.rejectedStatus(vertx, WsClient.to(base, room).bearer(user.token())));
  }

  @Test
  void nothingAckedIsLostAndNothingUnackedIsShown() {
    assumeTrue(EmbeddedDatabase.port() > 0, "needs the embedded PostgreSQL that it can stop");
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newRoom(alice);
    try (WsClient a = WsClient.open(vertx, WsClient.to(base, room).bearer(alice.token()));
        WsClient b = WsClient.open(vertx, WsClient.to(base, room).bearer(bob.token()))) {
      a.nextOfType("history");
      b.nextOfType("history");
      a.send(frame("before", "k1"));
      assertEquals(1, a.nextOfType("ack").path("seq").asLong());
      assertEquals("before", b.nextOfType("message").path("content").asText());

      EmbeddedDatabase.stop();
      try {
        Management.given().get("/q/health/ready").then().statusCode(503);
        a.send(frame("during", "k2"));
        JsonNode error = a.next(f -> !"message".equals(f.path("type").asText()));
        assertEquals("error", error.path("type").asText(), error.toString());
        assertEquals("k2", error.path("clientId").asText());
        // Not stored, so not shown to anyone.
        b.assertNoFrameFor(Duration.ofMillis(500));
        everyEndpointAnswers503(alice, room);
      } finally {
        EmbeddedDatabase.restart();
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> Management.given().get("/q/health/ready").statusCode() == 200);

      // The same connection works again; the client resends what was refused.
      a.send(frame("during", "k2"));
      JsonNode ack = a.nextOfType("ack");
      assertEquals(2, ack.path("seq").asLong());
      assertFalse(ack.path("duplicate").asBoolean(false));
      JsonNode shown = b.nextOfType("message");
      assertEquals(2, shown.path("seq").asLong());
      assertEquals("during", shown.path("content").asText());
    }
    given()
        .auth()
        .oauth2(alice.token())
        .get("/api/v1/rooms/" + room + "/messages")
        .then()
        .statusCode(200)
        .body("messages.seq", equalTo(List.of(1, 2)))
        .body("messages.content", equalTo(List.of("before", "during")));
  }
}
