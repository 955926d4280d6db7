package io.huddle.room;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.huddle.support.Api;
import io.huddle.support.Api.TestUser;
import io.huddle.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Direct conversations over real HTTP and sockets: started once per pair whoever asks and however
 * often, private to their two users on every path, delivered to every socket of both users.
 */
@QuarkusTest
class DirectMessageTest {

  @TestHTTPResource("/")
  URI base;

  @Inject Vertx vertx;

  private static RequestSpecification asJson(TestUser user) {
    return given().auth().oauth2(user.token()).contentType(ContentType.JSON);
  }

  private static Response start(TestUser caller, String username) {
    return asJson(caller).body(Map.of("username", username)).post("/api/v1/dms");
  }

  private static String dmId(TestUser a, TestUser b) {
    long x = Long.parseLong(a.id());
    long y = Long.parseLong(b.id());
    return "dm:" + Math.min(x, y) + ":" + Math.max(x, y);
  }

  private static JsonPath list(TestUser user, String query) {
    return given()
        .auth()
        .oauth2(user.token())
        .get("/api/v1/dms" + query)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  @Test
  void startingIsIdempotentAndTheSameConversationFromEitherSide() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = dmId(alice, bob);
    start(alice, bob.username())
        .then()
        .statusCode(201)
        .body("roomId", equalTo(room))
        .body("user.id", equalTo(bob.id()))
        .body("user.username", equalTo(bob.username()))
        .body("lastMessage", nullValue())
        .body("createdAt", org.hamcrest.Matchers.notNullValue());
    start(alice, bob.username()).then().statusCode(200).body("roomId", equalTo(room));
    start(bob, alice.username())
        .then()
        .statusCode(200)
        .body("roomId", equalTo(room))
        .body("user.username", equalTo(alice.username()));
    assertEquals(List.of(room), list(alice, "").getList("conversations.roomId"));
    assertEquals(List.of(room), list(bob, "").getList("conversations.roomId"));
    // Its two members, neither of them an owner.
    given()
        .auth()
        .oauth2(bob.token())
        .get("/api/v1/rooms/" + room + "/members")
        .then()
        .statusCode(200)
        .body("members.role", equalTo(List.of("member", "member")));
  }

  @Test
  void concurrentStartsFromBothSidesMakeOneConversation() throws Exception {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    int callers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Response>> answers = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        TestUser caller = i % 2 == 0 ? alice : bob;
        String other = i % 2 == 0 ? bob.username() : alice.username();
        Callable<Response> call =
            () -> {
              go.await();
              return start(caller, other);
            };
        answers.add(pool.submit(call));
      }
      go.countDown();
      int created = 0;
      for (Future<Response> answer : answers) {
        Response r = answer.get();
        assertEquals(dmId(alice, bob), r.path("roomId"), r.asString());
        created += r.statusCode() == 201 ? 1 : 0;
        assertFalse(r.statusCode() != 201 && r.statusCode() != 200, r.asString());
      }
      assertEquals(1, created, "exactly one request starts the conversation");
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, list(alice, "").getList("conversations").size());
    assertEquals(1, list(bob, "").getList("conversations").size());
  }

  @Test
  void badStartsAreClear4xxAndDirectRoomsCannotBeMadeByHand() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    start(alice, "nobody_" + alice.username().substring(2))
        .then()
        .statusCode(404)
        .body("error", equalTo("There is no user 'nobody_" + alice.username().substring(2) + "'"));
    start(alice, alice.username())
        .then()
        .statusCode(400)
        .body("error", equalTo("You cannot start a direct conversation with yourself"));
    asJson(alice)
        .body(Map.of())
        .post("/api/v1/dms")
        .then()
        .statusCode(400)
        .body("error", equalTo("username is required"));
    start(alice, "no spaces").then().statusCode(400);
    asJson(alice)
        .body("[]")
        .post("/api/v1/dms")
        .then()
        .statusCode(400)
        .contentType(ContentType.JSON);
    // Nothing was started by any of these.
    assertEquals(0, list(alice, "").getList("conversations").size());
    // The kind and the id form are the server's: createRoom refuses both.
    asJson(alice)
        .body(Map.of("id", Api.unique("r"), "name", "x", "kind", "direct"))
        .post("/api/v1/ws/createRoom")
        .then()
        .statusCode(400)
        .body("error", equalTo("kind must be public or private"));
    asJson(alice)
        .body(Map.of("id", dmId(alice, bob), "name", "x"))
        .post("/api/v1/ws/createRoom")
        .then()
        .statusCode(400);
    start(alice, bob.username()).then().statusCode(201);
    for (String query : List.of("?limit=0", "?limit=201", "?limit=x", "?after=nope")) {
      given()
          .auth()
          .oauth2(alice.token())
          .get("/api/v1/dms" + query)
          .then()
          .statusCode(400)
          .contentType(ContentType.JSON);
    }
  }

  @Test
  void aDirectRoomIsA404ToAThirdUserEverywhereAndNeverInGetRooms() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    TestUser carol = Api.newUser();
    String room = start(alice, bob.username()).then().statusCode(201).extract().path("roomId");
    String hidden = "Room '" + room + "' does not exist";
    List<Response> answers =
        List.of(
            given().auth().oauth2(carol.token()).get("/api/v1/ws/get/" + room),
            given().auth().oauth2(carol.token()).get("/api/v1/rooms/" + room + "/messages"),
            given().auth().oauth2(carol.token()).get("/api/v1/rooms/" + room + "/members"),
            asJson(carol)
                .body(Map.of("username", carol.username()))
                .post("/api/v1/rooms/" + room + "/members"),
            given().auth().oauth2(carol.token()).delete("/api/v1/rooms/" + room + "/members/me"),
            asJson(carol)
                .body(Map.of("userId", carol.id()))
                .put("/api/v1/rooms/" + room + "/owner"),
            asJson(carol)
                .body(Map.of("role", "admin"))
                .put("/api/v1/rooms/" + room + "/members/" + alice.id() + "/role"),
            given()
                .auth()
                .oauth2(carol.token())
                .delete("/api/v1/rooms/" + room + "/members/" + alice.id()));
    for (Response answer : answers) {
      answer.then().statusCode(404).body("error", equalTo(hidden));
    }
    assertEquals(
        404, WsClient.rejectedStatus(vertx, WsClient.to(base, room).bearer(carol.token())));
    assertEquals(0, list(carol, "").getList("conversations").size());
    for (TestUser user : List.of(alice, bob, carol)) {
      assertFalse(
          PrivateRoomTest.allRooms(user, 500).stream().anyMatch(r -> room.equals(r.get("id"))),
          "a direct room listed in getRooms to " + user.username());
    }
  }

  @Test
  void theTwoMembersCannotChangeTheMembership() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    TestUser carol = Api.newUser();
    String room = start(alice, bob.username()).then().statusCode(201).extract().path("roomId");
    String fixed = "Room '" + room + "' is a direct conversation: its two members never change";
    List<Response> answers =
        List.of(
            asJson(alice)
                .body(Map.of("username", carol.username()))
                .post("/api/v1/rooms/" + room + "/members"),
            given().auth().oauth2(alice.token()).delete("/api/v1/rooms/" + room + "/members/me"),
            asJson(alice).body(Map.of("userId", bob.id())).put("/api/v1/rooms/" + room + "/owner"),
            asJson(alice)
                .body(Map.of("role", "admin"))
                .put("/api/v1/rooms/" + room + "/members/" + bob.id() + "/role"),
            given()
                .auth()
                .oauth2(alice.token())
                .delete("/api/v1/rooms/" + room + "/members/" + bob.id()));
    for (Response answer : answers) {
      answer.then().statusCode(409).body("error", equalTo(fixed));
    }
    given()
        .auth()
        .oauth2(bob.token())
        .get("/api/v1/rooms/" + room + "/members")
        .then()
        .statusCode(200)
        .body("members.username", hasSize(2));
  }

  private static boolean content(JsonNode frame, String text) {
    return "message".equals(frame.path("type").asText())
        && text.equals(frame.path("content").asText());
  }

  @Test
  void aMessageReachesTheConversationAndEveryOtherSocketOfBothUsersOnly() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    TestUser carol = Api.newUser();
    String room = start(alice, bob.username()).then().statusCode(201).extract().path("roomId");
    String lobby = Api.newRoom(carol);
    try (WsClient aliceDm = WsClient.open(vertx, WsClient.to(base, room).bearer(alice.token()));
        WsClient aliceLobby = WsClient.open(vertx, WsClient.to(base, lobby).bearer(alice.token()));
        WsClient bobDm = WsClient.open(vertx, WsClient.to(base, room).bearer(bob.token()));
        WsClient bobLobby = WsClient.open(vertx, WsClient.to(base, lobby).bearer(bob.token()));
        WsClient carolLobby =
            WsClient.open(vertx, WsClient.to(base, lobby).bearer(carol.token()))) {
      for (WsClient c : List.of(aliceDm, aliceLobby, bobDm, bobLobby, carolLobby)) {
        c.nextOfType("history");
      }
      aliceDm.send("{\"type\":\"message\",\"content\":\"psst bob\",\"clientId\":\"c1\"}");
      long seq = aliceDm.nextOfType("ack").path("seq").asLong();
      assertEquals(1, seq);
      JsonNode inRoom = bobDm.next(f -> content(f, "psst bob"));
      assertEquals(room, inRoom.path("roomId").asText());
      assertEquals(alice.username(), inRoom.path("username").asText());
      aliceDm.next(f -> content(f, "psst bob"));
      for (WsClient elsewhere : List.of(bobLobby, aliceLobby)) {
        JsonNode dm = elsewhere.nextOfType("dm");
        assertEquals(room, dm.path("roomId").asText());
        JsonNode message = dm.path("message");
        assertEquals("message", message.path("type").asText());
        assertEquals(room, message.path("roomId").asText());
        assertEquals(seq, message.path("seq").asLong());
        assertEquals(alice.id(), message.path("userId").asText());
        assertEquals("psst bob", message.path("content").asText());
        assertNotNull(message.path("sentAt").textValue());
      }
      bobDm.send("hi alice");
      aliceDm.next(f -> content(f, "hi alice"));
      aliceLobby.next(
          f ->
              "dm".equals(f.path("type").asText())
                  && "hi alice".equals(f.path("message").path("content").asText()));
      bobLobby.next(
          f ->
              "dm".equals(f.path("type").asText())
                  && "hi alice".equals(f.path("message").path("content").asText()));
      // The lobby sees no notice and no message of the conversation (its presence notices only);
      // the conversation's own sockets get the message, not a notice.
      for (JsonNode frame : carolLobby.drain()) {
        assertEquals("join", frame.path("type").asText(), frame.toString());
      }
      for (JsonNode frame : bobDm.drain()) {
        assertFalse("dm".equals(frame.path("type").asText()), frame.toString());
      }
    }
  }

  @Test
  void historyCatchUpAndTheListShowTheLastMessage() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    TestUser carol = Api.newUser();
    String withBob = start(alice, bob.username()).then().statusCode(201).extract().path("roomId");
    String withCarol =
        start(carol, alice.username()).then().statusCode(201).extract().path("roomId");
    try (WsClient a = WsClient.open(vertx, WsClient.to(base, withBob).bearer(alice.token()))) {
      a.nextOfType("history");
      a.send("one");
      a.next(f -> content(f, "one"));
      a.send("two");
      a.next(f -> content(f, "two"));
    }
    // The conversation with bob is the most recently active.
    JsonPath page = list(alice, "");
    assertEquals(List.of(withBob, withCarol), page.getList("conversations.roomId"));
    assertEquals(2, page.getLong("conversations[0].lastMessage.seq"));
    assertEquals("two", page.getString("conversations[0].lastMessage.content"));
    assertEquals(alice.username(), page.getString("conversations[0].lastMessage.username"));
    assertEquals(alice.id(), page.getString("conversations[0].lastMessage.userId"));
    assertNotNull(page.getString("conversations[0].lastMessage.sentAt"));
    assertEquals(carol.username(), page.getString("conversations[1].user.username"));
    assertNull(page.get("conversations[1].lastMessage"));
    assertNull(page.get("next"));
    // A page at a time.
    JsonPath first = list(alice, "?limit=1");
    assertEquals(List.of(withBob), first.getList("conversations.roomId"));
    JsonPath second = list(alice, "?limit=1&after=" + first.getString("next"));
    assertEquals(List.of(withCarol), second.getList("conversations.roomId"));
    assertNull(second.get("next"));
    // Bob reads the history over REST and catches up over the socket.
    given()
        .auth()
        .oauth2(bob.token())
        .get("/api/v1/rooms/" + withBob + "/messages")
        .then()
        .statusCode(200)
        .body("messages.content", equalTo(List.of("one", "two")));
    try (WsClient b =
        WsClient.open(
            vertx,
            WsClient.toPath(base, "/api/v1/ws/joinRoom/" + withBob + "?since=1")
                .bearer(bob.token()))) {
      JsonNode history = b.nextOfType("history");
      assertEquals(1, history.path("messages").size());
      assertEquals("two", history.path("messages").get(0).path("content").asText());
    }
    // Bob's list names alice, with the same last message.
    JsonPath bobs = list(bob, "");
    assertEquals(alice.username(), bobs.getString("conversations[0].user.username"));
    assertEquals("two", bobs.getString("conversations[0].lastMessage.content"));
  }
}
