package io.huddle.room;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.huddle.support.Api;
import io.huddle.support.Api.TestUser;
import io.huddle.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A private room is invisible to non-members on every path, and visible once invited. */
@QuarkusTest
class PrivateRoomTest {

  @TestHTTPResource("/")
  URI base;

  @Inject Vertx vertx;

  /** Every room the user sees, walking getRooms page by page. */
  static List<Map<String, String>> allRooms(TestUser user, int pageSize) {
    List<Map<String, String>> rooms = new ArrayList<>();
    String after = null;
    do {
      var request = given().auth().oauth2(user.token()).queryParam("limit", pageSize);
      if (after != null) {
        request.queryParam("after", after);
      }
      var page = request.get("/api/v1/ws/getRooms").then().statusCode(200).extract().jsonPath();
      List<Map<String, String>> rows = page.getList("rooms");
      assertTrue(rows.size() <= pageSize, "a page holds at most limit rooms");
      after = page.getString("next");
      if (after != null) {
        assertEquals(pageSize, rows.size(), "only the last page is short");
      }
      rooms.addAll(rows);
    } while (after != null);
    return rooms;
  }

  /** A request with the user's token and a JSON body to come. */
  private static RequestSpecification asJson(TestUser user) {
    return given().auth().oauth2(user.token()).contentType(ContentType.JSON);
  }

  private static Response create(TestUser user, Object body) {
    return asJson(user).body(body).post("/api/v1/ws/createRoom");
  }

  private static List<String> ids(List<Map<String, String>> rooms) {
    return rooms.stream().map(r -> r.get("id")).toList();
  }

  /** What every path answers for a room the caller may not see: the unknown room's 404. */
  private void assertInvisible(TestUser user, String room, TestUser owner) {
    String hidden = "Room '" + room + "' does not exist";
    List<Response> answers =
        List.of(
            given().auth().oauth2(user.token()).get("/api/v1/ws/get/" + room),
            given().auth().oauth2(user.token()).get("/api/v1/rooms/" + room + "/messages"),
            given().auth().oauth2(user.token()).get("/api/v1/rooms/" + room + "/members"),
            asJson(user)
                .body(Map.of("username", user.username()))
                .post("/api/v1/rooms/" + room + "/members"),
            given().auth().oauth2(user.token()).delete("/api/v1/rooms/" + room + "/members/me"),
            asJson(user).body(Map.of("userId", user.id())).put("/api/v1/rooms/" + room + "/owner"),
            asJson(user)
                .body(Map.of("role", "admin"))
                .put("/api/v1/rooms/" + room + "/members/" + owner.id() + "/role"));
    for (Response answer : answers) {
      answer.then().statusCode(404).body("error", equalTo(hidden));
    }
    assertEquals(404, WsClient.rejectedStatus(vertx, WsClient.to(base, room).bearer(user.token())));
    assertFalse(ids(allRooms(user, 500)).contains(room), "listed to a non-member");
  }

  @Test
  void aPrivateRoomIsA404ToANonMemberOnEveryPathUntilInvited() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newPrivateRoom(alice);
    // Unknown and private answer alike, so the 404 tells bob nothing.
    given()
        .auth()
        .oauth2(bob.token())
        .get("/api/v1/ws/get/no-such-" + room)
        .then()
        .statusCode(404)
        .body("error", equalTo("Room 'no-such-" + room + "' does not exist"));
    assertInvisible(bob, room, alice);

    try (WsClient a = WsClient.open(vertx, WsClient.to(base, room).bearer(alice.token()))) {
      a.nextOfType("history");
      a.send("before bob came");
      a.next(f -> "before bob came".equals(f.path("content").asText()));

      Api.invite(alice, room, bob);
      given()
          .auth()
          .oauth2(bob.token())
          .get("/api/v1/rooms/" + room + "/messages")
          .then()
          .statusCode(200)
          .body("messages.content", equalTo(List.of("before bob came")));
      given()
          .auth()
          .oauth2(bob.token())
          .get("/api/v1/ws/get/" + room)
          .then()
          .statusCode(200)
          .body("username", equalTo(List.of(alice.username())));
      given()
          .auth()
          .oauth2(bob.token())
          .get("/api/v1/rooms/" + room + "/members")
          .then()
          .statusCode(200)
          .body("members.username", equalTo(List.of(alice.username(), bob.username())));
      Map<String, String> listed =
          allRooms(bob, 500).stream().filter(r -> room.equals(r.get("id"))).findFirst().get();
      assertEquals("private", listed.get("kind"));
      try (WsClient b = WsClient.open(vertx, WsClient.to(base, room).bearer(bob.token()))) {
        JsonNode history = b.nextOfType("history");
        assertEquals("before bob came", history.path("messages").get(0).path("content").asText());
        b.send("hello from bob");
        a.next(f -> "hello from bob".equals(f.path("content").asText()));
      }

      // Having left, bob is a stranger again.
      given()
          .auth()
          .oauth2(bob.token())
          .delete("/api/v1/rooms/" + room + "/members/me")
          .then()
          .statusCode(204);
      assertInvisible(bob, room, alice);
    }
  }

  @Test
  void getRoomsListsPublicRoomsAndOnlyTheCallersPrivateOnes() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String alicePrivate = Api.newPrivateRoom(alice);
    String bobPrivate = Api.newPrivateRoom(bob);
    String alicePublic = Api.newRoom(alice);
    List<String> aliceSees = ids(allRooms(alice, 500));
    assertTrue(aliceSees.containsAll(List.of(alicePrivate, alicePublic)), aliceSees.toString());
    assertFalse(aliceSees.contains(bobPrivate));
    List<String> bobSees = ids(allRooms(bob, 500));
    assertTrue(bobSees.containsAll(List.of(bobPrivate, alicePublic)), bobSees.toString());
    assertFalse(bobSees.contains(alicePrivate));
  }

  @Test
  void getRoomsPagesWithoutGapsOrRepeats() {
    TestUser alice = Api.newUser();
    List<String> mine = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      mine.add(i % 2 == 0 ? Api.newPrivateRoom(alice) : Api.newRoom(alice));
    }
    List<String> whole = ids(allRooms(alice, 500));
    // Pages of 3 give the same list, in the same order (oldest first), as one page.
    assertEquals(whole, ids(allRooms(alice, 3)));
    assertEquals(whole.size(), whole.stream().distinct().count(), "a room listed twice");
    assertEquals(mine, whole.subList(whole.size() - 4, whole.size()), "newest last");

    // Without parameters: the first 100, and `next` only when there are more.
    var first =
        given()
            .auth()
            .oauth2(alice.token())
            .get("/api/v1/ws/getRooms")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertEquals(whole.subList(0, Math.min(100, whole.size())), ids(first.getList("rooms")));
    assertEquals(whole.size() > 100, first.getString("next") != null);
  }

  @Test
  void badPagingParametersAre400() {
    TestUser alice = Api.newUser();
    String[][] cases = {
      {"limit", "0", "limit must be 1-500"},
      {"limit", "501", "limit must be 1-500"},
      {"limit", "ten", "limit must be a whole number"},
      {"after", "not a cursor!", "after must be the next value of a getRooms answer"},
      // Base64 of "12:" with no room id, and of "x:room".
      {"after", "MTI6", "after must be the next value of a getRooms answer"},
      {"after", "eDpyb29t", "after must be the next value of a getRooms answer"},
    };
    for (String[] c : cases) {
      given()
          .auth()
          .oauth2(alice.token())
          .queryParam(c[0], c[1])
          .get("/api/v1/ws/getRooms")
          .then()
          .statusCode(400)
          .body("error", equalTo(c[2]));
    }
  }

  @Test
  void aPublicRoomAnswersTheGoServersShapes() {
    TestUser alice = Api.newUser();
    String id = Api.unique("seed");
    var created =
        create(alice, Map.of("id", id, "name", "Seed")).then().statusCode(201).extract().jsonPath();
    assertEquals(Map.of("id", id, "name", "Seed"), created.getMap("$"));
    // To its owner (a member) the listing adds only the unread count (V11); the Go server's
    // fields are unchanged.
    Map<String, ?> listed =
        allRooms(alice, 500).stream().filter(r -> id.equals(r.get("id"))).findFirst().get();
    assertEquals(Map.of("id", id, "name", "Seed", "unread", 0), listed);
    // "public" said aloud is the same room kind.
    String explicit = Api.unique("pub");
    create(alice, Map.of("id", explicit, "name", "Explicit", "kind", "public"))
        .then()
        .statusCode(201)
        .body("kind", nullValue());
    TestUser bob = Api.newUser();
    assertTrue(ids(allRooms(bob, 500)).containsAll(List.of(id, explicit)));
    // To a user who neither belongs to it nor has read it, exactly the Go server's shape.
    assertEquals(
        Map.of("id", id, "name", "Seed"),
        allRooms(bob, 500).stream().filter(r -> id.equals(r.get("id"))).findFirst().get());
  }

  @Test
  void aPrivateRoomAnswersItsKind() {
    TestUser alice = Api.newUser();
    String id = Api.unique("pk");
    create(alice, Map.of("id", id, "name", "Secret", "kind", "private"))
        .then()
        .statusCode(201)
        .body("id", equalTo(id))
        .body("name", equalTo("Secret"))
        .body("kind", equalTo("private"));
  }

  @Test
  void anUnknownKindIs400AndCreatesNothing() {
    TestUser alice = Api.newUser();
    String id = Api.unique("kind");
    for (String body :
        List.of(
            "{\"id\":\"" + id + "\",\"name\":\"K\",\"kind\":\"secret\"}",
            "{\"id\":\"" + id + "\",\"name\":\"K\",\"kind\":\"PRIVATE\"}",
            "{\"id\":\"" + id + "\",\"name\":\"K\",\"kind\":\"\"}")) {
      create(alice, body)
          .then()
          .statusCode(400)
          .body("error", equalTo("kind must be public or private"));
    }
    create(alice, "{\"id\":\"" + id + "\",\"name\":\"K\",\"kind\":1}")
        .then()
        .statusCode(400)
        .body("error", equalTo("kind must be a string"));
    given()
        .auth()
        .oauth2(alice.token())
        .get("/api/v1/ws/getRooms?limit=500")
        .then()
        .body("rooms.id", not(hasItem(id)));
    // The id is still free.
    create(alice, Map.of("id", id, "name", "K")).then().statusCode(201);
  }

  @Test
  void aPublicRoomStaysOpenToEveryone() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newRoom(alice);
    try (WsClient b = WsClient.open(vertx, WsClient.to(base, room).bearer(bob.token()))) {
      b.nextOfType("history");
      given()
          .auth()
          .oauth2(bob.token())
          .get("/api/v1/rooms/" + room + "/messages")
          .then()
          .statusCode(200);
      // Opening a socket to a public room makes nobody a member: the owner alone is listed.
      given()
          .auth()
          .oauth2(bob.token())
          .get("/api/v1/rooms/" + room + "/members")
          .then()
          .statusCode(200)
          .body("members", hasSize(1))
          .body("members[0].userId", equalTo(alice.id()))
          .body("members[0].role", equalTo("owner"));
    }
  }
}
