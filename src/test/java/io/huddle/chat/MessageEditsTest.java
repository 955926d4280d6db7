package io.huddle.chat;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.huddle.support.Api;
import io.huddle.support.Api.TestUser;
import io.huddle.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Edits and deletes of messages, over the socket and over REST, and what history shows of them. */
@QuarkusTest
class MessageEditsTest {
  private static final Duration QUIET = Duration.ofMillis(500);

  @TestHTTPResource("/")
  URI base;

  @Inject Vertx vertx;

  @Inject AgroalDataSource dataSource;

  private WsClient join(TestUser user, String room) {
    WsClient client = WsClient.open(vertx, WsClient.to(base, room).bearer(user.token()));
    client.nextOfType("history");
    return client;
  }

  /** Sends a frame with a clientId and answers the ack or error frame naming it. */
  private static JsonNode sendFor(WsClient client, String clientId, String json) {
    client.send(json);
    return client.next(
        f ->
            ("ack".equals(f.path("type").asText()) || "error".equals(f.path("type").asText()))
                && clientId.equals(f.path("clientId").asText()));
  }

  private static long send(WsClient client, String content) {
    String clientId = Api.unique("m");
    JsonNode ack =
        sendFor(
            client,
            clientId,
            "{\"type\":\"message\",\"content\":\""
                + content
                + "\",\"clientId\":\""
                + clientId
                + "\"}");
    assertEquals("ack", ack.path("type").asText(), ack.toString());
    return ack.path("seq").asLong();
  }

  private static JsonNode edit(WsClient client, String clientId, long seq, String content) {
    return sendFor(
        client,
        clientId,
        "{\"type\":\"edit\",\"seq\":"
            + seq
            + ",\"content\":\""
            + content
            + "\",\"clientId\":\""
            + clientId
            + "\"}");
  }

  private static JsonNode delete(WsClient client, String clientId, long seq) {
    return sendFor(
        client,
        clientId,
        "{\"type\":\"delete\",\"seq\":" + seq + ",\"clientId\":\"" + clientId + "\"}");
  }

  private static JsonNode nextOf(WsClient client, String type, long seq) {
    return client.next(f -> type.equals(f.path("type").asText()) && f.path("seq").asLong() == seq);
  }

  private static List<JsonNode> history(TestUser user, String room, String query) {
    List<JsonNode> out = new ArrayList<>();
    given()
        .auth()
        .oauth2(user.token())
        .get("/api/v1/rooms/" + room + "/messages" + query)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("messages", Map.class)
        .forEach(m -> out.add(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(m)));
    return out;
  }

  private static ValidatableResponse patch(TestUser user, String room, Object seq, Object body) {
    return given()
        .auth()
        .oauth2(user.token())
        .contentType(ContentType.JSON)
        .body(body)
        .patch("/api/v1/rooms/" + room + "/messages/" + seq)
        .then();
  }

  private static ValidatableResponse remove(TestUser user, String room, Object seq) {
    return given()
        .auth()
        .oauth2(user.token())
        .delete("/api/v1/rooms/" + room + "/messages/" + seq)
        .then();
  }

  /** Every stored content of the room's rows that target or are {@code seq}. */
  private List<String> storedTexts(String room, long seq) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "SELECT coalesce(content, '<null>') FROM messages WHERE room_id = ?"
                    + " AND (seq = ? OR target_seq = ?) ORDER BY seq")) {
      q.setString(1, room);
      q.setLong(2, seq);
      q.setLong(3, seq);
      List<String> texts = new ArrayList<>();
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          texts.add(rs.getString(1));
        }
      }
      return texts;
    }
  }

  @Test
  void anEditIsTheNextSeqSeenByTheRoomAndHistoryShowsTheNewText() throws InterruptedException {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newRoom(alice);
    String other = Api.newRoom(alice);
    long seq;
    try (WsClient a = join(alice, room);
        WsClient b = join(bob, room);
        WsClient elsewhere = join(bob, other)) {
      seq = send(a, "helo");
      JsonNode ack = edit(a, "e-1", seq, "hello");
      assertEquals("ack", ack.path("type").asText(), ack.toString());
      long editSeq = ack.path("seq").asLong();
      assertEquals(seq + 1, editSeq);
      for (WsClient client : List.of(a, b)) {
        JsonNode frame = nextOf(client, "edit", editSeq);
        assertEquals(room, frame.path("roomId").asText());
        assertEquals(seq, frame.path("targetSeq").asLong());
        assertEquals("hello", frame.path("content").asText());
        assertEquals(alice.id(), frame.path("userId").asText());
        assertEquals(alice.username(), frame.path("username").asText());
        assertEquals(frame.path("sentAt").asText(), frame.path("editedAt").asText());
      }
      Thread.sleep(QUIET.toMillis());
      assertEquals(
          List.of(),
          elsewhere.drain().stream().filter(f -> f.has("seq")).toList(),
          "nothing of the room reaches another room");

      // The same clientId again: acked as a duplicate, not applied or broadcast twice.
      JsonNode again = edit(a, "e-1", seq, "hello");
      assertEquals(editSeq, again.path("seq").asLong());
      assertTrue(again.path("duplicate").asBoolean());
      long next = send(a, "after");
      assertEquals(editSeq + 1, next);
      assertEquals("message", nextOf(b, "message", next).path("type").asText());
    }
    List<JsonNode> page = history(alice, room, "");
    assertEquals(3, page.size());
    JsonNode message = page.get(0);
    assertEquals("message", message.path("type").asText());
    assertEquals("hello", message.path("content").asText());
    assertFalse(message.path("editedAt").isMissingNode());
    assertTrue(message.path("deleted").isMissingNode());
    JsonNode event = page.get(1);
    assertEquals("edit", event.path("type").asText());
    assertEquals(seq, event.path("targetSeq").asLong());
    assertEquals("hello", event.path("content").asText());
    // Catching up after the message: the edit comes in order, with the text it set.
    List<JsonNode> since = history(alice, room, "?after=" + seq);
    assertEquals(
        List.of("edit", "message"), since.stream().map(f -> f.path("type").asText()).toList());
  }

  @Test
  void aDeleteRemovesTheTextFromStorageAndHistoryMarksTheMessage() throws SQLException {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newRoom(alice);
    long seq;
    long deleteSeq;
    try (WsClient a = join(alice, room);
        WsClient b = join(bob, room)) {
      seq = send(a, "secret");
      assertEquals("ack", edit(a, "e", seq, "secret, edited").path("type").asText());
      JsonNode ack = delete(a, "d", seq);
      assertEquals("ack", ack.path("type").asText(), ack.toString());
      deleteSeq = ack.path("seq").asLong();
      JsonNode frame = nextOf(b, "delete", deleteSeq);
      assertEquals(seq, frame.path("targetSeq").asLong());
      assertTrue(frame.path("content").isMissingNode(), frame.toString());
    }
    assertEquals(List.of("<null>", "<null>", "<null>"), storedTexts(room, seq));
    List<JsonNode> page = history(bob, room, "");
    assertEquals(
        List.of(seq, seq + 1, deleteSeq), page.stream().map(f -> f.path("seq").asLong()).toList());
    assertTrue(page.get(0).path("deleted").asBoolean());
    assertTrue(page.get(0).path("content").isMissingNode());
    assertTrue(page.get(1).path("content").isMissingNode(), "the edit's text went too");
    assertEquals("delete", page.get(2).path("type").asText());
    assertTrue(page.get(2).path("content").isMissingNode());
    // The join history shows the same.
    try (WsClient late = WsClient.open(vertx, WsClient.to(base, room).bearer(bob.token()))) {
      JsonNode joined = late.nextOfType("history").path("messages");
      assertTrue(joined.get(0).path("deleted").asBoolean());
      assertTrue(joined.get(0).path("content").isMissingNode());
      assertEquals("delete", joined.get(2).path("type").asText());
    }
  }

  @Test
  void refusedChangesGetAnErrorFrameAndNothingIsBroadcast() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newRoom(alice);
    try (WsClient a = join(alice, room);
        WsClient b = join(bob, room)) {
      long bobs = send(b, "bob's");
      long gone = send(b, "gone");
      assertEquals("ack", delete(b, "d0", gone).path("type").asText());
      long deleteEvent = gone + 1;
      a.drain();
      // Alice owns the room: a moderator may delete others' messages, never edit them.
      assertError(edit(a, "x1", bobs, "mine now"), "Only its author can edit message " + bobs);
      assertError(delete(b, "x2", 999), "No message with seq 999 in this room");
      assertError(edit(b, "x3", gone, "back"), "Message " + gone + " is deleted");
      assertError(delete(b, "x4", gone), "Message " + gone + " is deleted");
      assertError(
          edit(b, "x5", deleteEvent, "x"),
          "Seq " + deleteEvent + " is a delete event, not a message");
      assertError(edit(b, "x6", bobs, " "), "Message content must not be blank");
      assertError(
          sendFor(
              b, "x7", "{\"type\":\"edit\",\"seq\":\"1\",\"content\":\"x\",\"clientId\":\"x7\"}"),
          "\"seq\" must be the seq of the message to edit");
      assertError(
          sendFor(b, "x8", "{\"type\":\"delete\",\"seq\":0,\"clientId\":\"x8\"}"),
          "\"seq\" must be the seq of the message to delete");
      assertError(
          sendFor(b, "x9", "{\"type\":\"edit\",\"seq\":" + bobs + ",\"clientId\":\"x9\"}"),
          "\"content\" must be a string");
      a.assertNoFrameFor(QUIET);
      // Nothing took a seq: the next message follows the delete event.
      assertEquals(deleteEvent + 1, send(b, "next"));
    }
    assertEquals("bob's", history(alice, room, "").get(0).path("content").asText());
  }

  private static void assertError(JsonNode frame, String startOfError) {
    assertEquals("error", frame.path("type").asText(), frame.toString());
    assertTrue(frame.path("error").asText().startsWith(startOfError), frame.toString());
  }

  @Test
  void restEditsAndDeletesAreBroadcastAndAuthorized() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    TestUser carol = Api.newUser();
    String room = Api.newRoom(alice);
    try (WsClient a = join(alice, room);
        WsClient b = join(bob, room)) {
      long bobs = send(b, "typo");
      long carolsTarget = send(b, "second");
      patch(bob, room, bobs, Map.of("content", "fixed"))
          .statusCode(200)
          .body("type", equalTo("edit"))
          .body("seq", equalTo((int) carolsTarget + 1))
          .body("targetSeq", equalTo((int) bobs))
          .body("content", equalTo("fixed"));
      assertEquals("fixed", nextOf(a, "edit", carolsTarget + 1).path("content").asText());

      patch(alice, room, bobs, Map.of("content", "x"))
          .statusCode(403)
          .body("error", equalTo("Only its author can edit message " + bobs));
      remove(carol, room, bobs)
          .statusCode(403)
          .body("error", startsWith("Only its author or an owner or admin"));
      patch(bob, room, 999, Map.of("content", "x")).statusCode(404);
      patch(bob, room, "abc", Map.of("content", "x"))
          .statusCode(400)
          .body("error", equalTo("seq must be a whole number"));
      patch(bob, room, bobs, Map.of("content", "")).statusCode(400);
      patch(bob, room, bobs, Map.of())
          .statusCode(400)
          .body("error", startsWith("content is required"));
      patch(bob, room, bobs, Map.of("content", "x".repeat(5000)))
          .statusCode(400)
          .body("error", startsWith("Message content must be at most"));
      patch(bob, room, carolsTarget + 1, Map.of("content", "x"))
          .statusCode(409)
          .body(
              "error",
              startsWith("Seq " + (carolsTarget + 1) + " is an edit event, not a message"));
      patch(bob, "no-such-room", bobs, Map.of("content", "x")).statusCode(404);

      // The room's owner moderates: deletes bob's message.
      remove(alice, room, bobs)
          .statusCode(200)
          .body("type", equalTo("delete"))
          .body("targetSeq", equalTo((int) bobs));
      JsonNode deleted = b.nextOfType("delete");
      assertEquals(bobs, deleted.path("targetSeq").asLong());
      assertEquals(alice.id(), deleted.path("userId").asText());
      remove(bob, room, bobs)
          .statusCode(409)
          .body("error", equalTo("Message " + bobs + " is deleted"));
      // The author deletes the other one.
      remove(bob, room, carolsTarget).statusCode(200);
    }
    List<JsonNode> page = history(carol, room, "");
    assertTrue(page.get(0).path("deleted").asBoolean());
    assertTrue(page.get(1).path("deleted").asBoolean());
  }

  @Test
  void anAdminMayDeleteButAMemberOfAPrivateRoomOnlyItsOwn() {
    TestUser owner = Api.newUser();
    TestUser admin = Api.newUser();
    TestUser member = Api.newUser();
    TestUser outsider = Api.newUser();
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
    long ownerSeq;
    long memberSeq;
    try (WsClient o = join(owner, room);
        WsClient m = join(member, room)) {
      ownerSeq = send(o, "owner's");
      memberSeq = send(m, "member's");
    }
    remove(outsider, room, memberSeq).statusCode(404);
    remove(member, room, ownerSeq).statusCode(403);
    remove(admin, room, memberSeq).statusCode(200);
    remove(admin, room, ownerSeq).statusCode(200);
  }

  @Test
  void aDirectConversationsLastLineIsItsLatestMessageAsItIsNow() {
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
            .statusCode(201)
            .extract()
            .path("roomId");
    long first;
    try (WsClient a = join(alice, dm)) {
      first = send(a, "first");
      long second = send(a, "second");
      assertEquals("ack", edit(a, "e", first, "first, edited").path("type").asText());
      assertEquals("ack", delete(a, "d", second).path("type").asText());
    }
    given()
        .auth()
        .oauth2(bob.token())
        .get("/api/v1/dms")
        .then()
        .statusCode(200)
        .body("conversations[0].roomId", equalTo(dm))
        .body("conversations[0].lastMessage.seq", equalTo((int) first))
        .body("conversations[0].lastMessage.content", equalTo("first, edited"));
  }
}
