package io.huddle.read;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.huddle.support.Api;
import io.huddle.support.Api.TestUser;
import io.huddle.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Read markers over real HTTP and sockets: forward only, bounded by the room's last seq, as private
 * as the room, counted as unread in getRooms and the DM list, and announced to every socket of the
 * reader (and, in a direct conversation, of the other user).
 */
@QuarkusTest
class ReadStateTest {

  @TestHTTPResource("/")
  URI base;

  @Inject Vertx vertx;

  private WsClient join(TestUser user, String room) {
    WsClient client = WsClient.open(vertx, WsClient.to(base, room).bearer(user.token()));
    client.nextOfType("history");
    return client;
  }

  /** Sends the texts and answers the seq of the last, once the sender has it back. */
  private static long say(WsClient socket, String... texts) {
    for (String text : texts) {
      socket.send(text);
    }
    String last = texts[texts.length - 1];
    return socket
        .next(
            f ->
                "message".equals(f.path("type").asText())
                    && last.equals(f.path("content").asText()))
        .path("seq")
        .asLong();
  }

  private static Response mark(TestUser user, String room, Object body) {
    return given()
        .auth()
        .oauth2(user.token())
        .contentType(ContentType.JSON)
        .body(body)
        .put("/api/v1/rooms/" + room + "/read");
  }

  private static JsonPath marker(TestUser user, String room) {
    return given()
        .auth()
        .oauth2(user.token())
        .get("/api/v1/rooms/" + room + "/read")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  /** The room as getRooms lists it to the user (paging until found). */
  private static Map<String, Object> listed(TestUser user, String room) {
    String after = null;
    do {
      var request = given().auth().oauth2(user.token()).queryParam("limit", 500);
      if (after != null) {
        request.queryParam("after", after);
      }
      JsonPath page =
          request.get("/api/v1/ws/getRooms").then().statusCode(200).extract().jsonPath();
      List<Map<String, Object>> rooms = page.getList("rooms");
      Optional<Map<String, Object>> found =
          rooms.stream().filter(r -> room.equals(r.get("id"))).findFirst();
      if (found.isPresent()) {
        return found.get();
      }
      after = page.getString("next");
    } while (after != null);
    throw new AssertionError(room + " is not listed to " + user.username());
  }

  private static int unreadInDms(TestUser user, String dm) {
    List<Integer> counts =
        given()
            .auth()
            .oauth2(user.token())
            .get("/api/v1/dms")
            .then()
            .statusCode(200)
            .extract()
            .path("conversations.findAll { it.roomId == '" + dm + "' }.unread");
    assertEquals(1, counts.size(), counts.toString());
    return counts.get(0);
  }

  private static String startDm(TestUser caller, TestUser other) {
    return given()
        .auth()
        .oauth2(caller.token())
        .contentType(ContentType.JSON)
        .body(Map.of("username", other.username()))
        .post("/api/v1/dms")
        .then()
        .statusCode(201)
        .extract()
        .path("roomId");
  }

  @Test
  void theMarkerMovesForwardOnlyAndCountsTheOthersMessagesAfterIt() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newRoom(bob);
    try (WsClient b = join(bob, room)) {
      say(b, "one", "two", "three");
    }
    // Never marked, and not a member of this public room: no count in the list, but the marker
    // itself says 0 read and all three unread.
    assertNull(listed(alice, room).get("unread"));
    JsonPath none = marker(alice, room);
    assertEquals(0, none.getLong("seq"));
    assertEquals(3, none.getInt("unread"));
    assertNull(none.get("updatedAt"));

    Instant before = Instant.now().minusSeconds(1);
    mark(alice, room, Map.of("seq", 2))
        .then()
        .statusCode(200)
        .body("roomId", equalTo(room))
        .body("seq", equalTo(2))
        .body("unread", equalTo(1))
        .body("updatedAt", notNullValue());
    assertEquals(1, listed(alice, room).get("unread"));
    String updatedAt = marker(alice, room).getString("updatedAt");
    assertTrue(Instant.parse(updatedAt).isAfter(before), updatedAt);

    // A lower seq (a slower device) changes nothing and answers the marker as it is.
    mark(alice, room, Map.of("seq", 1))
        .then()
        .statusCode(200)
        .body("seq", equalTo(2))
        .body("unread", equalTo(1))
        .body("updatedAt", equalTo(updatedAt));
    mark(alice, room, Map.of("seq", 3)).then().statusCode(200).body("unread", equalTo(0));
    assertEquals(0, listed(alice, room).get("unread"));
    // The owner's own messages are never unread to it.
    assertEquals(0, listed(bob, room).get("unread"));
  }

  @Test
  void editAndDeleteEventsAndDeletedMessagesAreNotUnread() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newRoom(bob);
    try (WsClient b = join(bob, room)) {
      long two = say(b, "one", "two", "three") - 1;
      b.send("{\"type\":\"edit\",\"seq\":" + two + ",\"content\":\"2\",\"clientId\":\"e\"}");
      b.nextOfType("edit");
      b.send("{\"type\":\"delete\",\"seq\":" + (two + 1) + ",\"clientId\":\"d\"}");
      b.nextOfType("delete");
    }
    // Five rows in the sequence (three messages, an edit, a delete); two messages are left to read.
    JsonPath none = marker(alice, room);
    assertEquals(2, none.getInt("unread"));
    mark(alice, room, Map.of("seq", 1)).then().statusCode(200).body("unread", equalTo(1));
  }

  @Test
  void badMarkersAre400AndChangeNothing() {
    TestUser alice = Api.newUser();
    String room = Api.newRoom(alice);
    try (WsClient a = join(alice, room)) {
      say(a, "only one");
    }
    mark(alice, room, Map.of("seq", 1)).then().statusCode(200);
    mark(alice, room, Map.of("seq", 2))
        .then()
        .statusCode(400)
        .body("error", equalTo("seq must be at most the room's last seq (1): 2 was never sent"));
    mark(alice, room, Map.of("seq", -1))
        .then()
        .statusCode(400)
        .body("error", equalTo("seq must be 0 or more"));
    mark(alice, room, Map.of()).then().statusCode(400).body("error", equalTo("seq is required"));
    mark(alice, room, Map.of("seq", "many")).then().statusCode(400).body("error", notNullValue());
    given()
        .auth()
        .oauth2(alice.token())
        .contentType(ContentType.JSON)
        .put("/api/v1/rooms/" + room + "/read")
        .then()
        .statusCode(400)
        .body("error", equalTo("A JSON request body is required"));
    given()
        .auth()
        .oauth2(alice.token())
        .contentType(ContentType.TEXT)
        .body("{\"seq\":1}")
        .put("/api/v1/rooms/" + room + "/read")
        .then()
        .statusCode(415);
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("seq", 1))
        .put("/api/v1/rooms/" + room + "/read")
        .then()
        .statusCode(401);
    assertEquals(1, marker(alice, room).getLong("seq"));
  }

  @Test
  void aPrivateRoomIsA404ToOthersExactlyLikeAnUnknownOne() {
    TestUser owner = Api.newUser();
    TestUser stranger = Api.newUser();
    String room = Api.newPrivateRoom(owner);
    for (String id : List.of(room, "no-such-room-" + System.nanoTime())) {
      String expected = "Room '" + id + "' does not exist";
      mark(stranger, id, Map.of("seq", 0)).then().statusCode(404).body("error", equalTo(expected));
      given()
          .auth()
          .oauth2(stranger.token())
          .get("/api/v1/rooms/" + id + "/read")
          .then()
          .statusCode(404)
          .body("error", equalTo(expected));
    }
    // A member of the private room has a count from the start (0 messages: 0).
    assertEquals(0, listed(owner, room).get("unread"));
    mark(owner, room, Map.of("seq", 0)).then().statusCode(200).body("seq", equalTo(0));
  }

  @Test
  void theReaderIsOtherSocketsAreToldAndNobodyElseInARoom() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newRoom(bob);
    String elsewhere = Api.newRoom(alice);
    try (WsClient aliceHere = join(alice, room);
        WsClient aliceThere = join(alice, elsewhere);
        WsClient b = join(bob, room)) {
      long seq = say(b, "a", "b");
      mark(alice, room, Map.of("seq", seq)).then().statusCode(200);
      for (WsClient told : List.of(aliceHere, aliceThere)) {
        JsonNode read = told.nextOfType("read");
        assertEquals(room, read.path("roomId").asText());
        assertEquals(alice.id(), read.path("userId").asText());
        assertEquals(seq, read.path("seq").asLong());
        assertNotNull(Instant.parse(read.path("sentAt").asText()));
        assertFalse(read.has("isDirect"), read.toString());
      }
      // A marker that does not move is announced to nobody; the next one that moves is.
      mark(alice, room, Map.of("seq", seq - 1)).then().statusCode(200);
      long third = say(b, "c");
      mark(alice, room, Map.of("seq", third)).then().statusCode(200);
      JsonNode next = aliceThere.nextOfType("read");
      assertEquals(third, next.path("seq").asLong());
      // Bob, in the same public room, learns nothing of alice's reading.
      say(b, "d");
      for (JsonNode frame : b.drain()) {
        assertFalse("read".equals(frame.path("type").asText()), frame.toString());
      }
      b.assertNoFrameFor(Duration.ofMillis(300));
    }
  }

  @Test
  void inADirectConversationTheOtherUserGetsAReceiptAndTheDmListCounts() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String dm = startDm(bob, alice);
    try (WsClient bobDm = join(bob, dm)) {
      long last = say(bobDm, "hi", "are you", "there?");
      assertEquals(3, unreadInDms(alice, dm));
      assertEquals(0, unreadInDms(bob, dm));
      mark(alice, dm, Map.of("seq", last - 1)).then().statusCode(200).body("unread", equalTo(1));
      JsonNode receipt = bobDm.nextOfType("read");
      assertEquals(dm, receipt.path("roomId").asText());
      assertEquals(alice.id(), receipt.path("userId").asText());
      assertEquals(last - 1, receipt.path("seq").asLong());
      assertEquals(1, unreadInDms(alice, dm));
      // Direct rooms stay out of getRooms whatever their markers.
      given()
          .auth()
          .oauth2(alice.token())
          .get("/api/v1/ws/getRooms?limit=500")
          .then()
          .statusCode(200)
          .body("rooms.find { it.id == '" + dm + "' }", nullValue());
    }
    TestUser carol = Api.newUser();
    given()
        .auth()
        .oauth2(carol.token())
        .get("/api/v1/rooms/" + dm + "/read")
        .then()
        .statusCode(404);
  }

  @Test
  void unreadCountsStopAtTheCap() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newRoom(bob);
    String[] texts = new String[UnreadCounts.CAP + 5];
    for (int i = 0; i < texts.length; i++) {
      texts[i] = "m" + i;
    }
    try (WsClient b = join(bob, room)) {
      say(b, texts);
    }
    mark(alice, room, Map.of("seq", 0)).then().statusCode(200).body("unread", equalTo(100));
    assertEquals(UnreadCounts.CAP, listed(alice, room).get("unread"));
    mark(alice, room, Map.of("seq", 10)).then().statusCode(200).body("unread", equalTo(95));
  }
}
