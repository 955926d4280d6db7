package io.huddle.room;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.huddle.support.Api;
import io.huddle.support.Api.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Roles, invitations, leaving and ownership transfer, each rule from the caller's token. */
@QuarkusTest
class MembershipResourceTest {

  /** A request with the user's token and a JSON body to come. */
  private static RequestSpecification asJson(TestUser user) {
    return given().auth().oauth2(user.token()).contentType(ContentType.JSON);
  }

  private static Response invite(TestUser by, String room, Object body) {
    return asJson(by).body(body).post("/api/v1/rooms/" + room + "/members");
  }

  private static Response setRole(TestUser by, String room, String userId, Object body) {
    return asJson(by).body(body).put("/api/v1/rooms/" + room + "/members/" + userId + "/role");
  }

  private static Response transfer(TestUser by, String room, Object body) {
    return asJson(by).body(body).put("/api/v1/rooms/" + room + "/owner");
  }

  private static Response leave(TestUser who, String room) {
    return given().auth().oauth2(who.token()).delete("/api/v1/rooms/" + room + "/members/me");
  }

  /** username → role, in the order the members list gives them. */
  private static List<List<String>> roles(TestUser asker, String room) {
    var members =
        given()
            .auth()
            .oauth2(asker.token())
            .get("/api/v1/rooms/" + room + "/members")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .<Map<String, String>>getList("members");
    return members.stream().map(m -> List.of(m.get("username"), m.get("role"))).toList();
  }

  @Test
  void theCreatorOwnsTheRoomAndTheInviteeIsAMember() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newPrivateRoom(alice);
    invite(alice, room, Map.of("username", bob.username()))
        .then()
        .statusCode(201)
        .body("userId", equalTo(bob.id()))
        .body("username", equalTo(bob.username()))
        .body("role", equalTo("member"))
        .body("joinedAt", notNullValue());
    given()
        .auth()
        .oauth2(bob.token())
        .get("/api/v1/rooms/" + room + "/members")
        .then()
        .statusCode(200)
        .body("members[0].userId", equalTo(alice.id()))
        .body("members[0].role", equalTo("owner"));
    // The owner first whatever the order of joining, then admins, then members.
    TestUser carol = Api.newUser();
    Api.invite(alice, room, carol);
    setRole(alice, room, carol.id(), Map.of("role", "admin")).then().statusCode(200);
    assertRoles(
        bob,
        room,
        List.of(
            List.of(alice.username(), "owner"),
            List.of(carol.username(), "admin"),
            List.of(bob.username(), "member")));
  }

  private static void assertRoles(TestUser asker, String room, List<List<String>> expected) {
    org.junit.jupiter.api.Assertions.assertEquals(expected, roles(asker, room));
  }

  @Test
  void aMemberCannotInviteAnAdminCanOnlyTheOwnerChangesRoles() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    TestUser carol = Api.newUser();
    TestUser dave = Api.newUser();
    String room = Api.newPrivateRoom(alice);
    Api.invite(alice, room, bob);

    invite(bob, room, Map.of("username", carol.username()))
        .then()
        .statusCode(403)
        .body("error", equalTo("Only the room's owner or an admin can invite"));
    setRole(bob, room, bob.id(), Map.of("role", "admin"))
        .then()
        .statusCode(403)
        .body("error", equalTo("Only the room's owner can change roles"));

    setRole(alice, room, bob.id(), Map.of("role", "admin"))
        .then()
        .statusCode(200)
        .body("userId", equalTo(bob.id()))
        .body("role", equalTo("admin"));
    invite(bob, room, Map.of("username", carol.username())).then().statusCode(201);
    // An admin invites, but neither changes roles nor transfers.
    setRole(bob, room, carol.id(), Map.of("role", "admin"))
        .then()
        .statusCode(403)
        .body("error", equalTo("Only the room's owner can change roles"));
    transfer(bob, room, Map.of("userId", bob.id()))
        .then()
        .statusCode(403)
        .body("error", equalTo("Only the room's owner can transfer the ownership"));

    setRole(alice, room, bob.id(), Map.of("role", "member")).then().statusCode(200);
    invite(bob, room, Map.of("username", dave.username())).then().statusCode(403);
    assertRoles(
        alice,
        room,
        List.of(
            List.of(alice.username(), "owner"),
            List.of(bob.username(), "member"),
            List.of(carol.username(), "member")));
  }

  @Test
  void transferMakesTheOldOwnerAnAdminAndOnlyTheNewOwnerMayTransferAgain() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newPrivateRoom(alice);
    Api.invite(alice, room, bob);
    transfer(alice, room, Map.of("userId", bob.id()))
        .then()
        .statusCode(200)
        .body("members.username", equalTo(List.of(bob.username(), alice.username())))
        .body("members.role", equalTo(List.of("owner", "admin")));
    transfer(alice, room, Map.of("userId", alice.id()))
        .then()
        .statusCode(403)
        .body("error", equalTo("Only the room's owner can transfer the ownership"));
    transfer(bob, room, Map.of("userId", alice.id())).then().statusCode(200);
    assertRoles(
        bob, room, List.of(List.of(alice.username(), "owner"), List.of(bob.username(), "admin")));
  }

  @Test
  void theOwnerMustTransferBeforeLeaving() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newPrivateRoom(alice);
    Api.invite(alice, room, bob);
    leave(alice, room)
        .then()
        .statusCode(409)
        .body(
            "error",
            equalTo(
                "The owner cannot leave the room: transfer the ownership to another member"
                    + " first"));
    assertRoles(
        bob, room, List.of(List.of(alice.username(), "owner"), List.of(bob.username(), "member")));

    transfer(alice, room, Map.of("userId", bob.id())).then().statusCode(200);
    leave(alice, room).then().statusCode(204);
    assertRoles(bob, room, List.of(List.of(bob.username(), "owner")));
    // Gone from a private room: it no longer exists for her.
    leave(alice, room)
        .then()
        .statusCode(404)
        .body("error", equalTo("Room '" + room + "' does not exist"));
  }

  @Test
  void badInvitationsAreRefusedAndChangeNothing() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newPrivateRoom(alice);
    Api.invite(alice, room, bob);
    invite(alice, room, Map.of("username", bob.username()))
        .then()
        .statusCode(409)
        .body(
            "error",
            equalTo("'" + bob.username() + "' is already a member of room '" + room + "'"));
    invite(alice, room, Map.of("username", "no_such_user_x"))
        .then()
        .statusCode(404)
        .body("error", equalTo("There is no user 'no_such_user_x'"));
    invite(alice, room, Map.of("username", "x"))
        .then()
        .statusCode(400)
        .body("error", equalTo("username must be 3-20 characters of letters, digits, _ or -"));
    invite(alice, room, Map.of())
        .then()
        .statusCode(400)
        .body("error", equalTo("username is required"));
    invite(alice, room, "{\"username\":7}")
        .then()
        .statusCode(400)
        .body("error", equalTo("username must be a string"));
    given()
        .auth()
        .oauth2(alice.token())
        .contentType("text/plain")
        .body("{\"username\":\"" + bob.username() + "\"}")
        .post("/api/v1/rooms/" + room + "/members")
        .then()
        .statusCode(415);
    // The invitation inviting oneself again is a conflict too, not a second row.
    invite(alice, room, Map.of("username", alice.username())).then().statusCode(409);
    assertRoles(
        alice,
        room,
        List.of(List.of(alice.username(), "owner"), List.of(bob.username(), "member")));
  }

  @Test
  void badRoleChangesAndTransfersAreRefusedAndChangeNothing() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    TestUser stranger = Api.newUser();
    String room = Api.newPrivateRoom(alice);
    Api.invite(alice, room, bob);
    setRole(alice, room, bob.id(), Map.of("role", "owner"))
        .then()
        .statusCode(400)
        .body(
            "error", equalTo("role must be admin or member (ownership moves with PUT .../owner)"));
    setRole(alice, room, bob.id(), Map.of("role", "boss")).then().statusCode(400);
    setRole(alice, room, bob.id(), Map.of())
        .then()
        .statusCode(400)
        .body("error", equalTo("role is required"));
    setRole(alice, room, "abc", Map.of("role", "admin"))
        .then()
        .statusCode(400)
        .body("error", equalTo("userId must be a user id (digits)"));
    setRole(alice, room, stranger.id(), Map.of("role", "admin"))
        .then()
        .statusCode(404)
        .body(
            "error", equalTo("User " + stranger.id() + " is not a member of room '" + room + "'"));
    setRole(alice, room, alice.id(), Map.of("role", "member"))
        .then()
        .statusCode(409)
        .body(
            "error",
            equalTo("The owner's role changes only by transferring the ownership (PUT .../owner)"));

    transfer(alice, room, Map.of("userId", stranger.id()))
        .then()
        .statusCode(409)
        .body(
            "error",
            equalTo(
                "User "
                    + stranger.id()
                    + " is not a member of room '"
                    + room
                    + "': invite them first"));
    transfer(alice, room, Map.of("userId", alice.id()))
        .then()
        .statusCode(409)
        .body("error", equalTo("You already own room '" + room + "'"));
    transfer(alice, room, Map.of())
        .then()
        .statusCode(400)
        .body("error", equalTo("userId is required"));
    transfer(alice, room, Map.of("userId", "two"))
        .then()
        .statusCode(400)
        .body("error", equalTo("userId must be a user id (digits)"));
    transfer(alice, room, "{\"userId\":2}")
        .then()
        .statusCode(400)
        .body("error", equalTo("userId must be a string"));
    assertRoles(
        alice,
        room,
        List.of(List.of(alice.username(), "owner"), List.of(bob.username(), "member")));
  }

  @Test
  void inAPublicRoomAVisitorSeesTheMembersButCannotManageThem() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    TestUser carol = Api.newUser();
    String room = Api.newRoom(alice);
    invite(bob, room, Map.of("username", carol.username()))
        .then()
        .statusCode(403)
        .body("error", equalTo("Only the room's owner or an admin can invite"));
    setRole(bob, room, alice.id(), Map.of("role", "member")).then().statusCode(403);
    transfer(bob, room, Map.of("userId", bob.id())).then().statusCode(403);
    leave(bob, room)
        .then()
        .statusCode(404)
        .body("error", equalTo("You are not a member of room '" + room + "'"));
    // The owner can give a public room an admin: invite (a row), then promote.
    Api.invite(alice, room, bob);
    setRole(alice, room, bob.id(), Map.of("role", "admin")).then().statusCode(200);
    invite(bob, room, Map.of("username", carol.username())).then().statusCode(201);
    assertRoles(
        carol,
        room,
        List.of(
            List.of(alice.username(), "owner"),
            List.of(bob.username(), "admin"),
            List.of(carol.username(), "member")));
    leave(carol, room).then().statusCode(204);
    assertRoles(
        carol, room, List.of(List.of(alice.username(), "owner"), List.of(bob.username(), "admin")));
  }

  @Test
  void membershipRoutesNeedAToken() {
    TestUser alice = Api.newUser();
    String room = Api.newRoom(alice);
    given()
        .get("/api/v1/rooms/" + room + "/members")
        .then()
        .statusCode(401)
        .body("error", notNullValue());
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("username", alice.username()))
        .post("/api/v1/rooms/" + room + "/members")
        .then()
        .statusCode(401);
    given().delete("/api/v1/rooms/" + room + "/members/me").then().statusCode(401);
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("userId", alice.id()))
        .put("/api/v1/rooms/" + room + "/owner")
        .then()
        .statusCode(401);
  }

  @Test
  void anUnknownRoomIs404OnTheMembershipRoutes() {
    TestUser alice = Api.newUser();
    given()
        .auth()
        .oauth2(alice.token())
        .get("/api/v1/rooms/no-such-room/members")
        .then()
        .statusCode(404)
        .body("error", equalTo("Room 'no-such-room' does not exist"));
    invite(alice, "no-such-room", Map.of("username", alice.username())).then().statusCode(404);
  }

  @Test
  void theMembershipRoutesAreDescribedWithTheirErrors() {
    var spec = given().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
    String[][] expected = {
      {"/api/v1/rooms/{roomId}/members", "get", "404"},
      {"/api/v1/rooms/{roomId}/members", "post", "403"},
      {"/api/v1/rooms/{roomId}/members/me", "delete", "409"},
      {"/api/v1/rooms/{roomId}/members/{userId}", "delete", "403"},
      {"/api/v1/rooms/{roomId}/owner", "put", "409"},
      {"/api/v1/rooms/{roomId}/members/{userId}/role", "put", "403"},
      {"/api/v1/ws/getRooms", "get", "400"},
    };
    for (String[] e : expected) {
      org.hamcrest.MatcherAssert.assertThat(
          e[0] + " " + e[1],
          spec.getMap("paths.'" + e[0] + "'." + e[1] + ".responses"),
          org.hamcrest.Matchers.hasKey(e[2]));
    }
  }
}
