package io.huddle.moderation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.huddle.chat.ModerationRelay;
import io.huddle.support.Api;
import io.huddle.support.Api.TestUser;
import io.huddle.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kick, ban and mute with real sockets: who may, what closes, what is refused, what is told. */
@QuarkusTest
class ModerationTest {
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  @TestHTTPResource("/")
  URI base;

  @Inject Vertx vertx;

  static Response post(TestUser by, String room, String what, Map<String, ?> body) {
    return given()
        .auth()
        .oauth2(by.token())
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/rooms/" + room + "/" + what);
  }

  static Response delete(TestUser by, String room, String what) {
    return given().auth().oauth2(by.token()).delete("/api/v1/rooms/" + room + "/" + what);
  }

  static void makeAdmin(TestUser owner, String room, TestUser user) {
    given()
        .auth()
        .oauth2(owner.token())
        .contentType(ContentType.JSON)
        .body(Map.of("role", "admin"))
        .put("/api/v1/rooms/" + room + "/members/" + user.id() + "/role")
        .then()
        .statusCode(200);
  }

  WsClient join(TestUser user, String room) {
    WsClient client = WsClient.open(vertx, WsClient.to(base, room).bearer(user.token()));
    client.nextOfType("history");
    return client;
  }

  int handshake(TestUser user, String room) {
    return WsClient.rejectedStatus(vertx, WsClient.to(base, room).bearer(user.token()));
  }

  static JsonNode moderation(WsClient client, String action) {
    return client.next(
        f ->
            "moderation".equals(f.path("type").asText())
                && action.equals(f.path("action").asText()));
  }

  @Test
  void aKickClosesTheUsersSocketsInThatRoomWith4006OnlyAndIsAnnounced() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    TestUser carol = Api.newUser();
    String room = Api.newRoom(alice);
    String elsewhere = Api.newRoom(alice);
    try (WsClient c = join(carol, room);
        WsClient b1 = join(bob, room);
        WsClient b2 = join(bob, room);
        WsClient bElsewhere = join(bob, elsewhere)) {
      post(alice, room, "kicks", Map.of("userId", bob.id())).then().statusCode(204);
      assertEquals(ModerationRelay.KICKED, b1.awaitClose(CLOSE_WAIT));
      assertEquals(ModerationRelay.KICKED, b2.awaitClose(CLOSE_WAIT));
      JsonNode told = moderation(c, "kick");
      assertEquals(room, told.path("roomId").asText());
      assertEquals(bob.id(), told.path("userId").asText());
      assertEquals(bob.username(), told.path("username").asText());
      assertEquals(alice.username(), told.path("by").asText());
      assertTrue(told.path("until").isMissingNode());
      assertFalse(told.path("sentAt").isMissingNode());
      // The other room is untouched, and nothing of this room's moderation leaks there.
      bElsewhere.send("still here");
      JsonNode next = bElsewhere.next(f -> !"join".equals(f.path("type").asText()));
      assertEquals("still here", next.path("content").asText());
      assertFalse(c.isClosed());
    }
    // A kick is no ban: bob may come back at once.
    try (WsClient again = join(bob, room)) {
      again.send("back");
      again.next(f -> "back".equals(f.path("content").asText()));
    }
  }

  @Test
  void aBanClosesWith4007RefusesTheHandshakeWith403AndHistoryUntilUnbanned() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newRoom(alice);
    try (WsClient a = join(alice, room);
        WsClient b = join(bob, room)) {
      post(alice, room, "bans", Map.of("userId", bob.id(), "reason", "spam"))
          .then()
          .statusCode(201)
          .body("userId", equalTo(bob.id()))
          .body("username", equalTo(bob.username()))
          .body("reason", equalTo("spam"))
          .body("by", equalTo(alice.username()));
      assertEquals(ModerationRelay.BANNED, b.awaitClose(CLOSE_WAIT));
      assertEquals(bob.id(), moderation(a, "ban").path("userId").asText());
    }
    assertEquals(403, handshake(bob, room));
    given()
        .auth()
        .oauth2(bob.token())
        .get("/api/v1/rooms/" + room + "/messages")
        .then()
        .statusCode(403)
        .body("error", equalTo("You are banned from room '" + room + "'"));
    given()
        .auth()
        .oauth2(alice.token())
        .get("/api/v1/rooms/" + room + "/bans")
        .then()
        .statusCode(200)
        .body("bans.userId", equalTo(List.of(bob.id())))
        .body("bans.reason", equalTo(List.of("spam")));
    post(alice, room, "bans", Map.of("userId", bob.id()))
        .then()
        .statusCode(409)
        .body("error", equalTo("'" + bob.username() + "' is already banned from this room"));

    delete(alice, room, "bans/" + bob.id()).then().statusCode(204);
    delete(alice, room, "bans/" + bob.id())
        .then()
        .statusCode(404)
        .body("error", equalTo("'" + bob.username() + "' is not banned from this room"));
    try (WsClient back = join(bob, room)) {
      back.send("unbanned");
      back.next(f -> "unbanned".equals(f.path("content").asText()));
    }
  }

  @Test
  void aBanFromAPrivateRoomEndsTheMembershipAndHidesTheRoomWith404() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newPrivateRoom(alice);
    Api.invite(alice, room, bob);
    try (WsClient b = join(bob, room)) {
      post(alice, room, "bans", Map.of("userId", bob.id())).then().statusCode(201);
      assertEquals(ModerationRelay.BANNED, b.awaitClose(CLOSE_WAIT));
    }
    assertEquals(404, handshake(bob, room));
    given()
        .auth()
        .oauth2(bob.token())
        .get("/api/v1/rooms/" + room + "/messages")
        .then()
        .statusCode(404);
    given()
        .auth()
        .oauth2(alice.token())
        .get("/api/v1/rooms/" + room + "/members")
        .then()
        .body("members.username", equalTo(List.of(alice.username())));
    given()
        .auth()
        .oauth2(alice.token())
        .contentType(ContentType.JSON)
        .body(Map.of("username", bob.username()))
        .post("/api/v1/rooms/" + room + "/members")
        .then()
        .statusCode(409)
        .body(
            "error",
            equalTo(
                "'" + bob.username() + "' is banned from room '" + room + "': unban them first"));
    delete(alice, room, "bans/" + bob.id()).then().statusCode(204);
    // Unbanned is not invited: still no member, still 404.
    assertEquals(404, handshake(bob, room));
    Api.invite(alice, room, bob);
    join(bob, room).close();
  }

  @Test
  void aMutedUsersMessagesAndTypingGetAnErrorFrameReachNobodyAndTheMuteEndsByItself() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newRoom(alice);
    try (WsClient a = join(alice, room);
        WsClient b = join(bob, room)) {
      String until =
          post(alice, room, "mutes", Map.of("userId", bob.id(), "durationSeconds", 2))
              .then()
              .statusCode(200)
              .body("userId", equalTo(bob.id()))
              .extract()
              .path("until");
      assertEquals(until, moderation(a, "mute").path("until").asText());
      moderation(b, "mute");
      b.send("{\"type\":\"message\",\"content\":\"hush\",\"clientId\":\"m1\"}");
      JsonNode refused = b.nextOfType("error");
      assertEquals("m1", refused.path("clientId").asText());
      assertEquals("You are muted in this room until " + until, refused.path("error").asText());
      assertEquals(until, refused.path("until").asText());
      b.send("{\"type\":\"typing\"}");
      assertTrue(b.nextOfType("error").path("error").asText().startsWith("You are muted"));
      a.assertNoFrameFor(Duration.ofMillis(300));
      // Once the mute has ended, the same user talks again without anyone lifting it.
      long wait = Instant.parse(until).toEpochMilli() - System.currentTimeMillis() + 100;
      sleep(Math.max(0, wait));
      b.send("{\"type\":\"message\",\"content\":\"free\",\"clientId\":\"m2\"}");
      assertEquals("m2", b.nextOfType("ack").path("clientId").asText());
      a.next(f -> "free".equals(f.path("content").asText()));
    }
  }

  @Test
  void editsAndDeletesOverRestHonourMutesBansAndArchiving() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newRoom(alice);
    long seq;
    try (WsClient b = join(bob, room)) {
      b.send("{\"type\":\"message\",\"content\":\"mine\",\"clientId\":\"m\"}");
      seq = b.nextOfType("ack").path("seq").asLong();
    }
    String message = "messages/" + seq;
    post(alice, room, "mutes", Map.of("userId", bob.id(), "durationSeconds", 600))
        .then()
        .statusCode(200);
    editOwn(bob, room, message)
        .then()
        .statusCode(403)
        .body("error", org.hamcrest.Matchers.startsWith("You are muted in this room until"));
    delete(bob, room, message).then().statusCode(403);
    delete(alice, room, "mutes/" + bob.id()).then().statusCode(204);
    post(alice, room, "bans", Map.of("userId", bob.id())).then().statusCode(201);
    editOwn(bob, room, message)
        .then()
        .statusCode(403)
        .body("error", equalTo("You are banned from room '" + room + "'"));
    delete(alice, room, "bans/" + bob.id()).then().statusCode(204);
    editOwn(bob, room, message).then().statusCode(200);
    post(alice, room, "archive", Map.of()).then().statusCode(204);
    editOwn(bob, room, message)
        .then()
        .statusCode(409)
        .body(
            "error", equalTo("Room '" + room + "' is archived: its messages can no longer change"));
    delete(alice, room, message).then().statusCode(409);
  }

  private static Response editOwn(TestUser user, String room, String message) {
    return given()
        .auth()
        .oauth2(user.token())
        .contentType(ContentType.JSON)
        .body(Map.of("content", "changed"))
        .patch("/api/v1/rooms/" + room + "/" + message);
  }

  @Test
  void anUnmuteEndsTheMuteEarlyAndAMuteOfOneRoomLeavesTheOthersAlone() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newRoom(alice);
    String other = Api.newRoom(alice);
    try (WsClient b = join(bob, room);
        WsClient bOther = join(bob, other)) {
      post(alice, room, "mutes", Map.of("userId", bob.id(), "durationSeconds", 600))
          .then()
          .statusCode(200);
      moderation(b, "mute");
      bOther.send("{\"type\":\"message\",\"content\":\"elsewhere\",\"clientId\":\"o1\"}");
      assertEquals("o1", bOther.nextOfType("ack").path("clientId").asText());
      delete(alice, room, "mutes/" + bob.id()).then().statusCode(204);
      moderation(b, "unmute");
      b.send("{\"type\":\"message\",\"content\":\"again\",\"clientId\":\"u1\"}");
      assertEquals("u1", b.nextOfType("ack").path("clientId").asText());
      delete(alice, room, "mutes/" + bob.id())
          .then()
          .statusCode(404)
          .body("error", equalTo("'" + bob.username() + "' is not muted in this room"));
    }
  }

  @Test
  void onlyOwnerAndAdminsModerateAdminsSpareAdminsAndTheOwnerAndNobodyActsOnThemselves() {
    TestUser alice = Api.newUser();
    TestUser admin = Api.newUser();
    TestUser admin2 = Api.newUser();
    TestUser member = Api.newUser();
    TestUser stranger = Api.newUser();
    String room = Api.newPrivateRoom(alice);
    for (TestUser u : List.of(admin, admin2, member)) {
      Api.invite(alice, room, u);
    }
    makeAdmin(alice, room, admin);
    makeAdmin(alice, room, admin2);
    Map<String, String> kickMember = Map.of("userId", member.id());

    post(member, room, "kicks", Map.of("userId", admin.id()))
        .then()
        .statusCode(403)
        .body("error", equalTo("Only the room's owner or an admin can moderate it"));
    post(stranger, room, "kicks", kickMember)
        .then()
        .statusCode(404)
        .body("error", equalTo("Room '" + room + "' does not exist"));
    post(admin, room, "bans", Map.of("userId", admin2.id()))
        .then()
        .statusCode(403)
        .body("error", equalTo("Only the room's owner can ban an admin"));
    post(admin, room, "mutes", Map.of("userId", alice.id(), "durationSeconds", 60))
        .then()
        .statusCode(403)
        .body("error", equalTo("Nobody can mute the room's owner"));
    post(admin, room, "kicks", Map.of("userId", admin.id()))
        .then()
        .statusCode(409)
        .body("error", equalTo("You cannot kick yourself"));
    post(admin, room, "kicks", Map.of("userId", stranger.id()))
        .then()
        .statusCode(404)
        .body(
            "error", equalTo("User " + stranger.id() + " is not a member of room '" + room + "'"));
    post(admin, room, "kicks", Map.of("userId", "999999999"))
        .then()
        .statusCode(404)
        .body("error", equalTo("There is no user 999999999"));
    post(admin, room, "kicks", Map.of("userId", "x1"))
        .then()
        .statusCode(400)
        .body("error", equalTo("userId must be a user id (digits)"));
    post(admin, room, "kicks", Map.of())
        .then()
        .statusCode(400)
        .body("error", equalTo("userId is required"));
    post(admin, room, "mutes", Map.of("userId", member.id(), "durationSeconds", 0))
        .then()
        .statusCode(400)
        .body("error", equalTo("durationSeconds must be between 1 and 2592000"));
    post(admin, room, "bans", Map.of("userId", member.id(), "reason", "x".repeat(501)))
        .then()
        .statusCode(400)
        .body("error", equalTo("reason must be at most 500 characters"));
    given()
        .auth()
        .oauth2(member.token())
        .get("/api/v1/rooms/" + room + "/bans")
        .then()
        .statusCode(403);

    // The owner may act on an admin; an admin on a member.
    post(alice, room, "mutes", Map.of("userId", admin2.id(), "durationSeconds", 60))
        .then()
        .statusCode(200);
    post(admin, room, "kicks", kickMember).then().statusCode(204);
  }

  @Test
  void theAuditLogKeepsEveryActionNewestFirstPagedForModeratorsOnly() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newRoom(alice);
    post(alice, room, "kicks", Map.of("userId", bob.id())).then().statusCode(204);
    post(alice, room, "mutes", Map.of("userId", bob.id(), "durationSeconds", 60))
        .then()
        .statusCode(200);
    post(alice, room, "bans", Map.of("userId", bob.id(), "reason", "again")).then().statusCode(201);
    String next =
        given()
            .auth()
            .oauth2(alice.token())
            .get("/api/v1/rooms/" + room + "/moderation?limit=2")
            .then()
            .statusCode(200)
            .body("entries.action", equalTo(List.of("ban", "mute")))
            .body("entries[0].reason", equalTo("again"))
            .body("entries[0].by", equalTo(alice.username()))
            .body("entries[0].username", equalTo(bob.username()))
            .body("entries[1].until", startsWith("20"))
            .extract()
            .path("next");
    given()
        .auth()
        .oauth2(alice.token())
        .get("/api/v1/rooms/" + room + "/moderation?limit=2&before=" + next)
        .then()
        .statusCode(200)
        .body("entries.action", equalTo(List.of("kick")))
        .body("next", nullValue());
    given()
        .auth()
        .oauth2(alice.token())
        .get("/api/v1/rooms/" + room + "/moderation?limit=x")
        .then()
        .statusCode(400);
    given()
        .auth()
        .oauth2(bob.token())
        .get("/api/v1/rooms/" + room + "/moderation")
        .then()
        .statusCode(403);
  }

  @Test
  void aDirectConversationHasNoModerators() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String dm =
        given()
            .auth()
            .oauth2(alice.token())
            .contentType(ContentType.JSON)
            .body(Map.of("username", bob.username()))
            .post("/api/v1/dms")
            .then()
            .extract()
            .path("roomId");
    post(alice, dm, "kicks", Map.of("userId", bob.id()))
        .then()
        .statusCode(409)
        .body("error", equalTo("Room '" + dm + "' is a direct conversation: it has no moderators"));
    given().auth().oauth2(alice.token()).delete("/api/v1/rooms/" + dm).then().statusCode(409);
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
