package io.huddle.moderation;

import static io.huddle.moderation.ModerationTest.makeAdmin;
import static io.huddle.moderation.ModerationTest.post;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.huddle.chat.ModerationRelay;
import io.huddle.support.Api;
import io.huddle.support.Api.TestUser;
import io.huddle.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The owner archives or deletes a room: every socket closes, and the room refuses what follows. */
@QuarkusTest
class RoomClosingTest {
  @TestHTTPResource("/")
  URI base;

  @Inject Vertx vertx;

  private WsClient join(TestUser user, String room) {
    WsClient client = WsClient.open(vertx, WsClient.to(base, room).bearer(user.token()));
    client.nextOfType("history");
    return client;
  }

  private int handshake(TestUser user, String room) {
    return WsClient.rejectedStatus(vertx, WsClient.to(base, room).bearer(user.token()));
  }

  @Test
  void anArchivedRoomClosesEverySocketWith4008KeepsItsHistoryAndRefusesJoinsWith410() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newRoom(alice);
    String other = Api.newRoom(alice);
    makeAdminAfterInvite(alice, room, bob);
    try (WsClient a = join(alice, room);
        WsClient b = join(bob, room);
        WsClient bOther = join(bob, other)) {
      a.send("{\"type\":\"message\",\"content\":\"last words\",\"clientId\":\"w1\"}");
      a.nextOfType("ack");
      given()
          .auth()
          .oauth2(bob.token())
          .post("/api/v1/rooms/" + room + "/archive")
          .then()
          .statusCode(403)
          .body("error", equalTo("Only the room's owner can do this"));
      given()
          .auth()
          .oauth2(alice.token())
          .post("/api/v1/rooms/" + room + "/archive")
          .then()
          .statusCode(204);
      assertEquals(ModerationRelay.ARCHIVED, a.awaitClose(Duration.ofSeconds(5)));
      assertEquals(ModerationRelay.ARCHIVED, b.awaitClose(Duration.ofSeconds(5)));
      bOther.send("other room lives");
      bOther.next(f -> "other room lives".equals(f.path("content").asText()));
      assertFalse(bOther.isClosed());
    }
    assertEquals(410, handshake(bob, room));
    given()
        .auth()
        .oauth2(bob.token())
        .get("/api/v1/rooms/" + room + "/messages")
        .then()
        .statusCode(200)
        // The archive is the history's last row: a moderation event after the last message.
        .body("messages.type", equalTo(List.of("message", "moderation")))
        .body("messages[0].content", equalTo("last words"))
        .body("messages[1].action", equalTo("archive"))
        .body("messages[1].by", equalTo(alice.username()))
        .body("messages[1].seq", equalTo(2));
    List<Map<String, Object>> listed = allRooms(bob);
    // bob belongs to the room (an admin), so it also carries his unread count (alice's message).
    assertEquals(
        List.of(Map.of("id", room, "name", "Room " + room, "unread", 1, "archived", true)),
        listed.stream().filter(r -> room.equals(r.get("id"))).toList());
    assertEquals(
        List.of(Map.of("id", other, "name", "Room " + other)),
        listed.stream().filter(r -> other.equals(r.get("id"))).toList());
    given()
        .auth()
        .oauth2(alice.token())
        .post("/api/v1/rooms/" + room + "/archive")
        .then()
        .statusCode(409)
        .body("error", equalTo("Room '" + room + "' is archived already"));
    post(alice, room, "kicks", Map.of("userId", bob.id()))
        .then()
        .statusCode(409)
        .body("error", equalTo("Room '" + room + "' is archived"));
  }

  @Test
  void aDeletedRoomClosesEverySocketWith4009AndIsThenA404Everywhere() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newRoom(alice);
    makeAdminAfterInvite(alice, room, bob);
    try (WsClient a = join(alice, room);
        WsClient b = join(bob, room)) {
      a.send("{\"type\":\"message\",\"content\":\"gone soon\",\"clientId\":\"g1\"}");
      a.nextOfType("ack");
      given().auth().oauth2(bob.token()).delete("/api/v1/rooms/" + room).then().statusCode(403);
      given().auth().oauth2(alice.token()).delete("/api/v1/rooms/" + room).then().statusCode(204);
      assertEquals(ModerationRelay.DELETED, a.awaitClose(Duration.ofSeconds(5)));
      assertEquals(ModerationRelay.DELETED, b.awaitClose(Duration.ofSeconds(5)));
    }
    assertEquals(404, handshake(alice, room));
    given()
        .auth()
        .oauth2(alice.token())
        .get("/api/v1/rooms/" + room + "/messages")
        .then()
        .statusCode(404);
    given()
        .auth()
        .oauth2(alice.token())
        .get("/api/v1/rooms/" + room + "/members")
        .then()
        .statusCode(404);
    given().auth().oauth2(alice.token()).delete("/api/v1/rooms/" + room).then().statusCode(404);
    assertFalse(allRooms(alice).stream().anyMatch(r -> room.equals(r.get("id"))));
    // The id is free again, and a new room under it opens at once on this node.
    given()
        .auth()
        .oauth2(bob.token())
        .contentType(ContentType.JSON)
        .body(Map.of("id", room, "name", "Reborn"))
        .post("/api/v1/ws/createRoom")
        .then()
        .statusCode(201);
    try (WsClient reborn = join(alice, room)) {
      reborn.send("{\"type\":\"message\",\"content\":\"new life\",\"clientId\":\"n1\"}");
      assertEquals(1, reborn.nextOfType("ack").path("seq").asInt());
    }
  }

  /** Every page of getRooms. */
  private static List<Map<String, Object>> allRooms(TestUser viewer) {
    List<Map<String, Object>> rooms = new ArrayList<>();
    String after = null;
    do {
      var request = given().auth().oauth2(viewer.token()).queryParam("limit", 500);
      if (after != null) {
        request.queryParam("after", after);
      }
      JsonPath page =
          request.get("/api/v1/ws/getRooms").then().statusCode(200).extract().jsonPath();
      rooms.addAll(page.getList("rooms"));
      after = page.getString("next");
    } while (after != null);
    return rooms;
  }

  private static void makeAdminAfterInvite(TestUser owner, String room, TestUser user) {
    Api.invite(owner, room, user);
    makeAdmin(owner, room, user);
  }
}
