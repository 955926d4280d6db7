package io.huddle.room;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huddle.support.Api;
import io.huddle.support.Api.TestUser;
import io.huddle.support.WsClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Invitation links over real HTTP: made and revoked by the owner or an admin of a private room
 * only, unguessable and stored hashed, one 404 for every code that does not work, and maxUses
 * holding under concurrent acceptances.
 */
@QuarkusTest
class InvitationTest {

  @TestHTTPResource("/")
  URI base;

  @Inject Vertx vertx;

  @Inject EntityManager em;

  @Inject InvitationService invitations;

  private static final String NOT_VALID =
      "This invitation link does not work: it is unknown, expired, revoked or used up";

  private static Response create(TestUser caller, String room, Map<String, ?> body) {
    return given()
        .auth()
        .oauth2(caller.token())
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/rooms/" + room + "/invitations");
  }

  private static JsonPath link(TestUser caller, String room, Map<String, ?> body) {
    return create(caller, room, body).then().statusCode(201).extract().jsonPath();
  }

  private static Response accept(TestUser caller, String code) {
    return given().auth().oauth2(caller.token()).post("/api/v1/invitations/" + code + "/accept");
  }

  private static void assertNotValid(Response response) {
    response.then().statusCode(404).body("error", equalTo(NOT_VALID));
  }

  @Test
  void aLinkMakesWhoeverAcceptsItAMemberWhoCanThenJoinTheSocket() {
    TestUser owner = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newPrivateRoom(owner);
    Instant before = Instant.now();
    JsonPath made = link(owner, room, Map.of("expiresInSeconds", 3600));
    String code = made.getString("code");
    assertTrue(code.matches("^[A-Za-z0-9_-]{32}$"), code);
    assertEquals(base.resolve("#/invite/" + code).toString(), made.getString("url"));
    Instant expiresAt = Instant.parse(made.getString("expiresAt"));
    assertTrue(
        !expiresAt.isBefore(before.plusSeconds(3599))
            && !expiresAt.isAfter(Instant.now().plusSeconds(3601)),
        expiresAt.toString());
    assertNull(made.get("maxUses"));
    // Only its hash is stored.
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              byte[] stored =
                  (byte[])
                      em.createNativeQuery("SELECT code_hash FROM room_invitations WHERE id = :id")
                          .setParameter("id", Long.parseLong(made.getString("id")))
                          .getSingleResult();
              assertEquals(32, stored.length);
              assertTrue(java.util.Arrays.equals(InvitationService.hash(code), stored));
            });

    // Not yet a member: the room is a 404 to bob, also at the handshake.
    assertEquals(404, WsClient.rejectedStatus(vertx, WsClient.to(base, room).bearer(bob.token())));
    accept(bob, code)
        .then()
        .statusCode(201)
        .body("roomId", equalTo(room))
        .body("name", equalTo("Private " + room))
        .body("role", equalTo("member"))
        .body("joinedAt", notNullValue());
    // Again: already a member, no use taken.
    accept(bob, code).then().statusCode(200).body("role", equalTo("member"));
    given()
        .auth()
        .oauth2(owner.token())
        .get("/api/v1/rooms/" + room + "/invitations")
        .then()
        .statusCode(200)
        .body("invitations", hasSize(1))
        .body("invitations[0].uses", equalTo(1))
        .body("invitations[0].createdBy", equalTo(owner.id()))
        .body("invitations[0].code", equalTo(null));
    try (WsClient socket = WsClient.open(vertx, WsClient.to(base, room).bearer(bob.token()))) {
      socket.nextOfType("history");
    }
  }

  @Test
  void aBannedUserCannotComeBackThroughALink() {
    TestUser owner = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newPrivateRoom(owner);
    String code =
        link(owner, room, Map.of("expiresInSeconds", 3600, "maxUses", 2)).getString("code");
    accept(bob, code).then().statusCode(201);
    // The ban ends bob's membership of the private room.
    given()
        .auth()
        .oauth2(owner.token())
        .contentType(ContentType.JSON)
        .body(Map.of("userId", bob.id()))
        .post("/api/v1/rooms/" + room + "/bans")
        .then()
        .statusCode(201);
    accept(bob, code)
        .then()
        .statusCode(403)
        .body("error", equalTo("You are banned from room '" + room + "'"));
    // No use was taken: the second use is still there for someone else.
    accept(Api.newUser(), code).then().statusCode(201);
  }

  @Test
  void everyCodeThatDoesNotWorkGetsOneAndTheSame404() {
    TestUser owner = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newPrivateRoom(owner);
    // Unknown, malformed, and a real code with one character changed.
    String real = link(owner, room, Map.of("expiresInSeconds", 600)).getString("code");
    String changed = (real.charAt(0) == 'A' ? "B" : "A") + real.substring(1);
    for (String code : List.of("nope", "A".repeat(32), "A".repeat(33), changed, "%00")) {
      assertNotValid(accept(bob, code));
    }
    // Used up.
    String once =
        link(owner, room, Map.of("expiresInSeconds", 600, "maxUses", 1)).getString("code");
    accept(bob, once).then().statusCode(201);
    assertNotValid(accept(Api.newUser(), once));
    // Revoked.
    JsonPath revocable = link(owner, room, Map.of("expiresInSeconds", 600));
    given()
        .auth()
        .oauth2(owner.token())
        .delete("/api/v1/rooms/" + room + "/invitations/" + revocable.getString("id"))
        .then()
        .statusCode(204);
    assertNotValid(accept(Api.newUser(), revocable.getString("code")));
    given()
        .auth()
        .oauth2(owner.token())
        .delete("/api/v1/rooms/" + room + "/invitations/" + revocable.getString("id"))
        .then()
        .statusCode(404);
    // Expired (moved into the past in the database: the shortest life is a minute).
    JsonPath expiring = link(owner, room, Map.of("expiresInSeconds", 60));
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                em.createNativeQuery(
                        "UPDATE room_invitations SET created_at = now() - interval '2 minutes',"
                            + " expires_at = now() - interval '1 second' WHERE id = :id")
                    .setParameter("id", Long.parseLong(expiring.getString("id")))
                    .executeUpdate());
    TestUser late = Api.newUser();
    assertNotValid(accept(late, expiring.getString("code")));
    // None of them made anyone a member.
    List<String> members =
        given()
            .auth()
            .oauth2(owner.token())
            .get("/api/v1/rooms/" + room + "/members")
            .then()
            .statusCode(200)
            .extract()
            .path("members.userId");
    assertEquals(List.of(owner.id(), bob.id()), members);
    // The list shows what still works: the first link only.
    given()
        .auth()
        .oauth2(owner.token())
        .get("/api/v1/rooms/" + room + "/invitations")
        .then()
        .statusCode(200)
        .body("invitations.uses", equalTo(List.of(0)));
  }

  @Test
  void theCleanUpRemovesExpiredAndUsedUpLinksOnly() {
    TestUser owner = Api.newUser();
    String room = Api.newPrivateRoom(owner);
    String working = link(owner, room, Map.of("expiresInSeconds", 600)).getString("code");
    String once =
        link(owner, room, Map.of("expiresInSeconds", 600, "maxUses", 1)).getString("code");
    accept(Api.newUser(), once).then().statusCode(201);
    long expired =
        Long.parseLong(link(owner, room, Map.of("expiresInSeconds", 60)).getString("id"));
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                em.createNativeQuery(
                        "UPDATE room_invitations SET created_at = now() - interval '2 minutes',"
                            + " expires_at = now() - interval '1 second' WHERE id = :id")
                    .setParameter("id", expired)
                    .executeUpdate());
    assertEquals(3L, invitationRows(room));

    assertTrue(invitations.removeDead() >= 2);

    assertEquals(1L, invitationRows(room));
    // What is left is the link that works, and it still does.
    accept(Api.newUser(), working).then().statusCode(201);
  }

  private long invitationRows(String room) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                ((Number)
                        em.createNativeQuery(
                                "SELECT count(*) FROM room_invitations WHERE room_id = :room")
                            .setParameter("room", room)
                            .getSingleResult())
                    .longValue());
  }

  @Test
  void onlyTheOwnerAndAdminsOfAPrivateRoomManageLinks() {
    TestUser owner = Api.newUser();
    TestUser admin = Api.newUser();
    TestUser member = Api.newUser();
    TestUser stranger = Api.newUser();
    String room = Api.newPrivateRoom(owner);
    Api.invite(owner, room, admin);
    Api.invite(owner, room, member);
    given()
        .auth()
        .oauth2(owner.token())
        .contentType(ContentType.JSON)
        .body(Map.of("role", "admin"))
        .put("/api/v1/rooms/" + room + "/members/" + admin.id() + "/role")
        .then()
        .statusCode(200);
    JsonPath byAdmin = link(admin, room, Map.of("expiresInSeconds", 600, "maxUses", 5));
    assertEquals(5, byAdmin.getInt("maxUses"));
    create(member, room, Map.of("expiresInSeconds", 600))
        .then()
        .statusCode(403)
        .body("error", equalTo("Only the room's owner or an admin can manage invitation links"));
    given()
        .auth()
        .oauth2(member.token())
        .delete("/api/v1/rooms/" + room + "/invitations/" + byAdmin.getString("id"))
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(member.token())
        .get("/api/v1/rooms/" + room + "/invitations")
        .then()
        .statusCode(403);
    // A stranger: the room does not exist, on every route.
    create(stranger, room, Map.of("expiresInSeconds", 600))
        .then()
        .statusCode(404)
        .body("error", equalTo("Room '" + room + "' does not exist"));
    given()
        .auth()
        .oauth2(stranger.token())
        .get("/api/v1/rooms/" + room + "/invitations")
        .then()
        .statusCode(404);
    // A public room needs none; a DM's members are fixed.
    String open = Api.newRoom(owner);
    create(owner, open, Map.of("expiresInSeconds", 600)).then().statusCode(409);
    String dm =
        given()
            .auth()
            .oauth2(owner.token())
            .contentType(ContentType.JSON)
            .body(Map.of("username", member.username()))
            .post("/api/v1/dms")
            .then()
            .statusCode(201)
            .extract()
            .path("roomId");
    create(owner, dm, Map.of("expiresInSeconds", 600)).then().statusCode(409);
    // The owner revokes the admin's link.
    given()
        .auth()
        .oauth2(owner.token())
        .delete("/api/v1/rooms/" + room + "/invitations/" + byAdmin.getString("id"))
        .then()
        .statusCode(204);
    given()
        .auth()
        .oauth2(owner.token())
        .delete("/api/v1/rooms/" + room + "/invitations/abc")
        .then()
        .statusCode(404);
  }

  @Test
  void badRequestsAre400AndMakeNoLink() {
    TestUser owner = Api.newUser();
    String room = Api.newPrivateRoom(owner);
    List<Map<String, Integer>> bodies =
        List.of(
            Map.of(),
            Map.of("expiresInSeconds", 59),
            Map.of("expiresInSeconds", 2_592_001),
            Map.of("expiresInSeconds", 600, "maxUses", 0),
            Map.of("expiresInSeconds", 600, "maxUses", 10_001));
    for (Map<String, Integer> body : bodies) {
      create(owner, room, body)
          .then()
          .statusCode(400)
          .body("error", matchesPattern("(expiresInSeconds|maxUses) .*"));
    }
    given()
        .auth()
        .oauth2(owner.token())
        .contentType(ContentType.JSON)
        .post("/api/v1/rooms/" + room + "/invitations")
        .then()
        .statusCode(400);
    given()
        .auth()
        .oauth2(owner.token())
        .get("/api/v1/rooms/" + room + "/invitations")
        .then()
        .statusCode(200)
        .body("invitations", hasSize(0));
    accept(owner, "x").then().statusCode(404);
    given().post("/api/v1/invitations/x/accept").then().statusCode(401);
  }

  @Test
  void maxUsesHoldsWhenManyAcceptAtOnce() throws Exception {
    TestUser owner = Api.newUser();
    String room = Api.newPrivateRoom(owner);
    String code =
        link(owner, room, Map.of("expiresInSeconds", 600, "maxUses", 3)).getString("code");
    List<TestUser> users = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      users.add(Api.newUser());
    }
    ExecutorService pool = Executors.newFixedThreadPool(users.size());
    try {
      List<Future<Integer>> answers = new ArrayList<>();
      for (TestUser user : users) {
        Callable<Integer> call = () -> accept(user, code).statusCode();
        answers.add(pool.submit(call));
      }
      int joined = 0;
      for (Future<Integer> answer : answers) {
        int status = answer.get();
        assertTrue(status == 201 || status == 404, "status " + status);
        if (status == 201) {
          joined++;
        }
      }
      assertEquals(3, joined);
    } finally {
      pool.shutdownNow();
    }
    List<String> members =
        given()
            .auth()
            .oauth2(owner.token())
            .get("/api/v1/rooms/" + room + "/members")
            .then()
            .statusCode(200)
            .extract()
            .path("members.userId");
    assertEquals(4, members.size(), "the owner and the three who got in");
    // Every link has a code of its own.
    assertNotEquals(code, link(owner, room, Map.of("expiresInSeconds", 600)).getString("code"));
  }
}
