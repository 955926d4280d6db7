package io.huddle.room;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.huddle.chat.RoomRemovals;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The owner or an admin removes a member: its sockets in that room close with 4004. */
@QuarkusTest
class RemoveMemberTest {

  @TestHTTPResource("/")
  URI base;

  @Inject Vertx vertx;

  private static Response remove(TestUser by, String room, String userId) {
    return given().auth().oauth2(by.token()).delete("/api/v1/rooms/" + room + "/members/" + userId);
  }

  private WsClient join(TestUser user, String room) {
    WsClient client = WsClient.open(vertx, WsClient.to(base, room).bearer(user.token()));
    client.nextOfType("history");
    return client;
  }

  private static void makeAdmin(TestUser owner, String room, TestUser user) {
    given()
        .auth()
        .oauth2(owner.token())
        .contentType(ContentType.JSON)
        .body(Map.of("role", "admin"))
        .put("/api/v1/rooms/" + room + "/members/" + user.id() + "/role")
        .then()
        .statusCode(200);
  }

  @Test
  void aRemovedMembersSocketsInThatRoomCloseWith4004AndNoOthers() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    TestUser carol = Api.newUser();
    String room = Api.newPrivateRoom(alice);
    String elsewhere = Api.newRoom(alice);
    Api.invite(alice, room, bob);
    Api.invite(alice, room, carol);
    makeAdmin(alice, room, carol);
    try (WsClient a = join(alice, room);
        WsClient b1 = join(bob, room);
        WsClient b2 = join(bob, room);
        WsClient bElsewhere = join(bob, elsewhere)) {
      remove(carol, room, bob.id()).then().statusCode(204);
      assertEquals(RoomRemovals.REMOVED, b1.awaitClose(Duration.ofSeconds(5)));
      assertEquals(RoomRemovals.REMOVED, b2.awaitClose(Duration.ofSeconds(5)));
      // Bob's socket in another room and the others' sockets in this one stay open.
      bElsewhere.send("still here");
      bElsewhere.next(f -> "still here".equals(f.path("content").asText()));
      a.send("after bob");
      a.next(f -> "after bob".equals(f.path("content").asText()));
      assertFalse(a.isClosed());
    }
    assertEquals(404, WsClient.rejectedStatus(vertx, WsClient.to(base, room).bearer(bob.token())));
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
        .body("members.username", equalTo(List.of(alice.username(), carol.username())));
  }

  @Test
  void leavingAPrivateRoomClosesOnesSocketsThereWith4005ButLeavingAPublicOneDoesNot() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String secret = Api.newPrivateRoom(alice);
    String open = Api.newRoom(alice);
    Api.invite(alice, secret, bob);
    Api.invite(alice, open, bob);
    try (WsClient a = join(alice, secret);
        WsClient inSecret = join(bob, secret);
        WsClient inOpen = join(bob, open)) {
      given()
          .auth()
          .oauth2(bob.token())
          .delete("/api/v1/rooms/" + open + "/members/me")
          .then()
          .statusCode(204);
      given()
          .auth()
          .oauth2(bob.token())
          .delete("/api/v1/rooms/" + secret + "/members/me")
          .then()
          .statusCode(204);
      assertEquals(RoomRemovals.LEFT, inSecret.awaitClose(Duration.ofSeconds(5)));
      // The public room stays open to anyone, member or not.
      inOpen.send("still in the open room");
      inOpen.next(f -> "still in the open room".equals(f.path("content").asText()));
      assertFalse(inOpen.isClosed());
      assertFalse(a.isClosed());
    }
  }

  @Test
  void onlyTheOwnerRemovesAdminsNobodyRemovesTheOwnerAndMembersRemoveNobody() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    TestUser carol = Api.newUser();
    TestUser dave = Api.newUser();
    TestUser stranger = Api.newUser();
    String room = Api.newPrivateRoom(alice);
    for (TestUser u : List.of(bob, carol, dave)) {
      Api.invite(alice, room, u);
    }
    makeAdmin(alice, room, bob);
    makeAdmin(alice, room, carol);

    remove(dave, room, bob.id())
        .then()
        .statusCode(403)
        .body("error", equalTo("Only the room's owner or an admin can remove members"));
    remove(bob, room, carol.id())
        .then()
        .statusCode(403)
        .body("error", equalTo("Only the room's owner can remove an admin"));
    remove(bob, room, alice.id())
        .then()
        .statusCode(403)
        .body("error", equalTo("Nobody can remove the room's owner"));
    remove(bob, room, bob.id())
        .then()
        .statusCode(409)
        .body("error", equalTo("To leave the room yourself, use DELETE .../members/me"));
    remove(bob, room, stranger.id())
        .then()
        .statusCode(404)
        .body(
            "error", equalTo("User " + stranger.id() + " is not a member of room '" + room + "'"));
    remove(bob, room, "x1")
        .then()
        .statusCode(400)
        .body("error", equalTo("userId must be a user id (digits)"));
    remove(stranger, room, dave.id())
        .then()
        .statusCode(404)
        .body("error", equalTo("Room '" + room + "' does not exist"));

    remove(bob, room, dave.id()).then().statusCode(204);
    remove(alice, room, carol.id()).then().statusCode(204);
    given()
        .auth()
        .oauth2(alice.token())
        .get("/api/v1/rooms/" + room + "/members")
        .then()
        .body("members.username", equalTo(List.of(alice.username(), bob.username())))
        .body("members.role", equalTo(List.of("owner", "admin")));
  }
}
