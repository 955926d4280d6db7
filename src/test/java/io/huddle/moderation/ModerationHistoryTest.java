package io.huddle.moderation;

import static io.huddle.moderation.ModerationTest.delete;
import static io.huddle.moderation.ModerationTest.post;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.huddle.support.Api;
import io.huddle.support.Api.TestUser;
import io.huddle.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Moderation actions are rows of the room's sequence (V13): live sockets get each once, with its
 * seq, in order with the messages; REST history and a {@code ?since=} catch-up return them there.
 */
@QuarkusTest
class ModerationHistoryTest {
  @TestHTTPResource("/")
  URI base;

  @Inject Vertx vertx;

  /** seq, type and action of each sequenced frame, as one line each: easy to compare. */
  private static String line(JsonNode f) {
    return f.path("seq").asLong()
        + " "
        + f.path("type").asText()
        + ("moderation".equals(f.path("type").asText()) ? " " + f.path("action").asText() : "");
  }

  @Test
  void actionsTakeTheNextSeqAmongMessagesLiveOnceInHistoryAndInCatchUp() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    TestUser dave = Api.newUser();
    String room = Api.newRoom(alice);
    List<String> expected =
        List.of(
            "1 message",
            "2 moderation ban",
            "3 message",
            "4 moderation mute",
            "5 moderation unmute",
            "6 moderation unban",
            "7 moderation kick");
    List<JsonNode> live = new ArrayList<>();
    try (WsClient d = WsClient.open(vertx, WsClient.to(base, room).bearer(dave.token()));
        WsClient a = WsClient.open(vertx, WsClient.to(base, room).bearer(alice.token()))) {
      d.nextOfType("history");
      a.nextOfType("history");
      a.send("{\"type\":\"message\",\"content\":\"one\",\"clientId\":\"m1\"}");
      a.nextOfType("ack");
      post(alice, room, "bans", Map.of("userId", bob.id(), "reason", "spam"))
          .then()
          .statusCode(201);
      a.send("{\"type\":\"message\",\"content\":\"two\",\"clientId\":\"m2\"}");
      a.nextOfType("ack");
      post(alice, room, "mutes", Map.of("userId", dave.id(), "durationSeconds", 60))
          .then()
          .statusCode(200);
      delete(alice, room, "mutes/" + dave.id()).then().statusCode(204);
      delete(alice, room, "bans/" + bob.id()).then().statusCode(204);
      post(alice, room, "kicks", Map.of("userId", dave.id())).then().statusCode(204);
      // dave sees everything up to his own kick, then his socket closes: each event exactly once.
      d.awaitClose(Duration.ofSeconds(5));
      for (JsonNode f : d.drain()) {
        if (f.has("seq")) {
          live.add(f);
        }
      }
    }
    assertEquals(expected, live.stream().map(ModerationHistoryTest::line).toList());
    JsonNode ban = live.get(1);
    assertEquals(bob.id(), ban.path("userId").asText());
    assertEquals(bob.username(), ban.path("username").asText());
    assertEquals(alice.username(), ban.path("by").asText());
    // The reason stays in the audit log; a moderation event carries no text.
    assertFalse(ban.has("reason"));
    assertFalse(ban.has("content"));
    assertTrue(live.get(3).has("until"));

    JsonPath history =
        given()
            .auth()
            .oauth2(bob.token())
            .get("/api/v1/rooms/" + room + "/messages")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    List<String> rows = new ArrayList<>();
    List<Map<String, Object>> messages = history.getList("messages");
    for (Map<String, Object> m : messages) {
      rows.add(
          m.get("seq")
              + " "
              + m.get("type")
              + ("moderation".equals(m.get("type")) ? " " + m.get("action") : ""));
    }
    assertEquals(expected, rows);
    assertEquals(live.get(3).path("until").asText(), messages.get(3).get("until"));
    assertEquals(alice.username(), messages.get(1).get("by"));
    assertFalse(messages.get(1).containsKey("reason"));

    // A moderation event is no message: it cannot be edited or deleted.
    given()
        .auth()
        .oauth2(alice.token())
        .contentType("application/json")
        .body(Map.of("content", "rewritten"))
        .patch("/api/v1/rooms/" + room + "/messages/2")
        .then()
        .statusCode(409)
        .body(
            "error",
            org.hamcrest.Matchers.equalTo(
                "Seq 2 is a moderation event, not a message: it cannot be changed"));

    try (WsClient late =
        WsClient.open(
            vertx,
            WsClient.toPath(base, "/api/v1/ws/joinRoom/" + room + "?since=1")
                .bearer(bob.token()))) {
      List<String> caughtUp = new ArrayList<>();
      for (JsonNode f : late.nextOfType("history").path("messages")) {
        caughtUp.add(line(f));
      }
      assertEquals(expected.subList(1, expected.size()), caughtUp);
    }
  }
}
