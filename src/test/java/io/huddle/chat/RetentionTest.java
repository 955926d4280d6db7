package io.huddle.chat;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.huddle.support.Api;
import io.huddle.support.Api.TestUser;
import io.huddle.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Retention is off by default; here it keeps the newest 5 messages per room. */
@QuarkusTest
@TestProfile(RetentionTest.KeepFive.class)
class RetentionTest {

  public static class KeepFive implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "huddle.history.retention.max-messages", "5",
          "huddle.history.retention.interval", "1S");
    }
  }

  @TestHTTPResource("/")
  URI base;

  @Inject Vertx vertx;

  private static List<Integer> storedSeqs(TestUser user, String room) {
    return given()
        .auth()
        .oauth2(user.token())
        .get("/api/v1/rooms/" + room + "/messages")
        .then()
        .statusCode(200)
        .extract()
        .path("messages.seq");
  }

  @Test
  void theScheduledJobKeepsTheNewestMessagesPerRoom() {
    TestUser alice = Api.newUser();
    String room = Api.newRoom(alice);
    String quiet = Api.newRoom(alice);
    try (WsClient a = WsClient.open(vertx, WsClient.to(base, room).bearer(alice.token()));
        WsClient q = WsClient.open(vertx, WsClient.to(base, quiet).bearer(alice.token()))) {
      a.nextOfType("history");
      q.nextOfType("history");
      for (int i = 0; i < 8; i++) {
        a.send("m" + i);
      }
      for (int i = 0; i < 3; i++) {
        q.send("q" + i);
      }
      a.next(f -> f.path("seq").asLong() == 8);
      q.next(f -> f.path("seq").asLong() == 3);
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> storedSeqs(alice, room).equals(List.of(4, 5, 6, 7, 8)));
    assertEquals(List.of(1, 2, 3), storedSeqs(alice, quiet), "a room under the bound keeps all");
    // A client that missed pruned messages learns it from the catch-up frame.
    try (WsClient a =
        WsClient.open(
            vertx,
            WsClient.toPath(base, "/api/v1/ws/joinRoom/" + room + "?since=1")
                .bearer(alice.token()))) {
      JsonNode history = a.nextOfType("history");
      List<Long> seqs = new ArrayList<>();
      history.path("messages").forEach(m -> seqs.add(m.path("seq").asLong()));
      assertEquals(List.of(4L, 5L, 6L, 7L, 8L), seqs);
      assertTrue(history.path("truncated").asBoolean(false));
    }
  }
}
