package io.huddle.chat;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.huddle.support.Api;
import io.huddle.support.Api.TestUser;
import io.huddle.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.jwt.build.Jwt;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ChatSocketTest {

  @TestHTTPResource("/")
  URI base;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject Vertx vertx;
  @Inject Hub hub;

  private WsClient join(TestUser user, String room) {
    return WsClient.open(vertx, WsClient.to(base, room).bearer(user.token()));
  }

  /** Joins and consumes the frames the join itself causes (the user's own join notice). */
  private WsClient joinAndSettle(TestUser user, String room) {
    WsClient client = join(user, room);
    client.next(f -> isJoinOf(f, user));
    return client;
  }

  private static boolean isJoinOf(JsonNode frame, TestUser user) {
    return "join".equals(frame.path("type").asText())
        && user.id().equals(frame.path("userId").asText());
  }

  private static boolean isMessage(JsonNode frame, String content) {
    return "message".equals(frame.path("type").asText())
        && content.equals(frame.path("content").asText());
  }

  /** Usernames in GET /api/v1/ws/get/{roomId}, the room id percent-encoded once. */
  private List<String> clientNames(TestUser asker, String room) {
    // java.net.http rather than RestAssured, which encodes the % of an encoded space again.
    String path = URLEncoder.encode(room, StandardCharsets.UTF_8).replace("+", "%20");
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(base.resolve("/api/v1/ws/get/" + path))
                      .header("Authorization", "Bearer " + asker.token())
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), response.body());
      List<String> names = new ArrayList<>();
      JSON.readTree(response.body()).forEach(n -> names.add(n.path("username").asText()));
      return names;
    } catch (java.io.IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void twoUsersSeeEachOthersMessagesWithAllFields() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newRoom(alice);
    try (WsClient a = joinAndSettle(alice, room)) {
      try (WsClient b = joinAndSettle(bob, room)) {
        JsonNode bobJoined = a.next();
        assertEquals("join", bobJoined.path("type").asText());
        assertEquals(bob.username(), bobJoined.path("username").asText());
        assertEquals("New user joined the room", bobJoined.path("content").asText());
        assertEquals(room, bobJoined.path("roomId").asText());

        a.send("{\"type\":\"message\",\"content\":\"hello bob\"}");
        b.send("plain text from bob");
        for (WsClient c : List.of(a, b)) {
          JsonNode first = c.next(f -> "message".equals(f.path("type").asText()));
          JsonNode second = c.next(f -> "message".equals(f.path("type").asText()));
          List<String> contents =
              List.of(first.path("content").asText(), second.path("content").asText());
          assertTrue(
              contents.contains("hello bob") && contents.contains("plain text from bob"),
              contents.toString());
          JsonNode fromAlice = isMessage(first, "hello bob") ? first : second;
          assertEquals(room, fromAlice.path("roomId").asText());
          assertEquals(alice.id(), fromAlice.path("userId").asText());
          assertEquals(alice.username(), fromAlice.path("username").asText());
          assertFalse(fromAlice.path("isDirect").asBoolean(true));
          assertNotNull(Instant.parse(fromAlice.path("sentAt").asText()));
        }
      }
    }
  }

  @Test
  void broadcastsWriteThroughTheFastPath() {
    // NettyFrames reaches below websockets-next; if an upgrade breaks it, Huddle still works
    // through the public API, but slower: this test makes that visible.
    TestUser alice = Api.newUser();
    String room = Api.newRoom(alice);
    try (WsClient a = joinAndSettle(alice, room)) {
      assertEquals(1, hub.fastPathConnections(room), "NettyFrames found no Netty context");
      a.send("fast");
      assertTrue(isMessage(a.nextOfType("message"), "fast"));
    }
  }

  @Test
  void everyMemberSeesTheSameOrderWhenSeveralSendAtOnce() throws Exception {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    TestUser carol = Api.newUser();
    String room = Api.newRoom(alice);
    try (WsClient a = joinAndSettle(alice, room);
        WsClient b = joinAndSettle(bob, room);
        WsClient c = joinAndSettle(carol, room)) {
      int perSender = 50;
      CompletableFuture<Void> sa =
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; i < perSender; i++) a.send("a-" + i);
              });
      CompletableFuture<Void> sb =
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; i < perSender; i++) b.send("b-" + i);
              });
      CompletableFuture.allOf(sa, sb).get();
      List<List<String>> seen = new ArrayList<>();
      for (WsClient client : List.of(a, b, c)) {
        List<String> contents = new ArrayList<>();
        while (contents.size() < 2 * perSender) {
          JsonNode f = client.next(x -> "message".equals(x.path("type").asText()));
          contents.add(f.path("content").asText());
        }
        seen.add(contents);
      }
      assertEquals(seen.get(0), seen.get(1));
      assertEquals(seen.get(0), seen.get(2));
      // Each sender's own messages keep their order.
      List<String> fromA = seen.get(0).stream().filter(s -> s.startsWith("a-")).toList();
      for (int i = 0; i < perSender; i++) {
        assertEquals("a-" + i, fromA.get(i));
      }
    }
  }

  @Test
  void nothingLeaksBetweenRooms() throws Exception {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room1 = Api.newRoom(alice);
    String room2 = Api.newRoom(alice);
    try (WsClient a = joinAndSettle(alice, room1);
        WsClient b = joinAndSettle(bob, room2)) {
      a.send("only for room one");
      JsonNode echoed = a.next(f -> isMessage(f, "only for room one"));
      assertEquals(room1, echoed.path("roomId").asText());
      b.send("only for room two");
      JsonNode next = b.next();
      assertTrue(isMessage(next, "only for room two"), next.toString());
      assertEquals(room2, next.path("roomId").asText());
      a.assertNoFrameFor(Duration.ofMillis(300));
    }
  }

  @Test
  void aSecondTabOfOneUserIsOnePresenceAndLeaveComesWithTheLastTab() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newRoom(alice);
    try (WsClient a = joinAndSettle(alice, room)) {
      WsClient tab1 = joinAndSettle(bob, room);
      a.next(f -> isJoinOf(f, bob));
      WsClient tab2 = join(bob, room);
      // The history frame comes once the Hub has the connection.
      tab2.nextOfType("history");
      assertEquals(3, hub.connections(room));
      // No second join notice: the next thing Alice sees is her own marker.
      a.send("marker-1");
      assertTrue(isMessage(a.next(), "marker-1"));
      assertTrue(isMessage(tab2.next(), "marker-1"));
      assertThat(clientNames(alice, room), alice.username(), bob.username());

      tab1.close();
      a.send("marker-2");
      assertTrue(isMessage(a.next(), "marker-2"), "no leave while a tab is open");
      assertThat(clientNames(alice, room), alice.username(), bob.username());

      tab2.close();
      JsonNode left = a.next();
      assertEquals("leave", left.path("type").asText());
      assertEquals(bob.id(), left.path("userId").asText());
      assertEquals(bob.username() + " has left the room", left.path("content").asText());
      assertThat(clientNames(alice, room), alice.username());
    }
    // Alice's own close is handled by the server after this thread moves on: wait for it, as below.
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(5))
        .until(() -> clientNames(alice, room).isEmpty());
    given()
        .auth()
        .oauth2(alice.token())
        .get("/api/v1/ws/get/" + room)
        .then()
        .statusCode(200)
        .body("$", hasSize(0));
  }

  private static void assertThat(List<String> actual, String... expected) {
    org.hamcrest.MatcherAssert.assertThat(actual, containsInAnyOrder(expected));
  }

  @Test
  void bigRoomsGetNoPresenceNoticesButStillListEveryone() {
    // The test profile sets huddle.chat.presence-notice-limit=4.
    TestUser watcher = Api.newUser();
    String room = Api.newRoom(watcher);
    List<WsClient> open = new ArrayList<>();
    try (WsClient w = joinAndSettle(watcher, room)) {
      List<TestUser> others = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        TestUser u = Api.newUser();
        others.add(u);
        WsClient c = join(u, room);
        open.add(c);
        c.nextOfType("history"); // registered in the Hub
        if (i < 3) {
          w.next(f -> isJoinOf(f, u)); // members 2..4: announced
        }
      }
      // The fifth connection: no join notice; the next frame the watcher sees is a message.
      w.send("after five");
      assertTrue(isMessage(w.next(), "after five"));
      assertEquals(5, clientNames(watcher, room).size());
      // Leaving a room of five is silent too; back at four, leaves are announced again.
      open.remove(open.size() - 1).close();
      // Closes of other connections are not ordered with the watcher's frames: wait until the
      // server has handled this one, so the next close is the one that leaves a room of four.
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(5))
          .until(() -> clientNames(watcher, room).size() == 4);
      w.send("after leave");
      assertTrue(isMessage(w.next(), "after leave"));
      open.remove(open.size() - 1).close();
      assertEquals(others.get(2).id(), w.nextOfType("leave").path("userId").asText());
    } finally {
      open.forEach(WsClient::close);
    }
  }

  @Test
  void socketsClosedRightAfterTheUpgradeLeaveNoMemberBehind() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newRoom(alice);
    for (int i = 0; i < 20; i++) {
      join(bob, room).close(); // closes while the server may still be in @OnOpen
    }
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> hub.connections(room) == 0);
    assertEquals(List.of(), clientNames(alice, room));
  }

  @Test
  void queryStringIdentityIsIgnored() {
    TestUser alice = Api.newUser();
    String room = Api.newRoom(alice);
    String path = "/api/v1/ws/joinRoom/" + room + "?userId=999999&username=mallory";
    try (WsClient a = WsClient.open(vertx, WsClient.toPath(base, path).bearer(alice.token()))) {
      JsonNode joined = a.nextOfType("join");
      assertEquals(alice.id(), joined.path("userId").asText());
      a.send("who am i");
      JsonNode message = a.next(f -> isMessage(f, "who am i"));
      assertEquals(alice.username(), message.path("username").asText());
      assertEquals(alice.id(), message.path("userId").asText());
    }
    assertThat(clientNames(alice, room));
  }

  @Test
  void badFramesGetAnErrorAndTheConnectionStaysOpen() throws Exception {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newRoom(alice);
    try (WsClient a = joinAndSettle(alice, room);
        WsClient b = joinAndSettle(bob, room)) {
      a.next(f -> isJoinOf(f, bob));
      List<String> bad =
          List.of(
              "{not json",
              "{\"type\":\"shout\",\"content\":\"x\"}",
              "{\"content\":\"no type\"}",
              "{\"type\":\"message\"}",
              "{\"type\":\"message\",\"content\":42}",
              "   \n\t ",
              "x".repeat(4001));
      for (String frame : bad) {
        a.send(frame);
        JsonNode error = a.next();
        assertEquals("error", error.path("type").asText(), "for " + frame);
        assertFalse(error.path("error").asText().isBlank());
      }
      a.sendBinary(new byte[] {1, 2, 3});
      JsonNode binaryError = a.next();
      assertEquals("error", binaryError.path("type").asText());

      String longest = "y".repeat(4000);
      a.send(longest);
      assertTrue(isMessage(a.next(), longest));
      // Bob saw none of the refused frames: the first thing he gets is the valid one.
      assertTrue(isMessage(b.next(), longest));
      b.assertNoFrameFor(Duration.ofMillis(200));
    }
  }

  @Test
  void twoJsonObjectsOrUnpairedSurrogatesInAFrameAreRefusedAndNotStored() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newRoom(alice);
    try (WsClient a = joinAndSettle(alice, room);
        WsClient b = joinAndSettle(bob, room)) {
      a.next(f -> isJoinOf(f, bob));
      List<String> bad =
          List.of(
              // The first object used to be stored and the second silently dropped.
              "{\"type\":\"message\",\"content\":\"first\"}"
                  + "{\"type\":\"message\",\"content\":\"second\"}",
              "{\"type\":\"message\",\"content\":\"first\"} xyz",
              "{\"type\":\"message\",\"content\":\"first\"}[]",
              // Lone surrogates used to be stored as '?'.
              "{\"type\":\"message\",\"content\":\"a\\ud800b\"}",
              "{\"type\":\"message\",\"content\":\"\\udc00\"}",
              "{\"type\":\"message\",\"content\":\"ok\",\"clientId\":\"c\\ud800\"}",
              "{\"type\":\"message\",\"content\":\"ok\",\"clientId\":7}");
      for (String frame : bad) {
        a.send(frame);
        JsonNode error = a.next();
        assertEquals("error", error.path("type").asText(), "for " + frame);
        assertFalse(error.path("error").asText().isBlank(), "for " + frame);
      }
      // A surrogate pair is one valid character and goes through; trailing blanks are fine.
      a.send("{\"type\":\"message\",\"content\":\"smile \\ud83d\\ude00\"} \n");
      assertTrue(isMessage(a.next(), "smile \uD83D\uDE00"));
      assertTrue(isMessage(b.next(), "smile \uD83D\uDE00"));
      b.assertNoFrameFor(Duration.ofMillis(200));
    }
    given()
        .auth()
        .oauth2(alice.token())
        .get("/api/v1/rooms/" + room + "/messages")
        .then()
        .statusCode(200)
        .body("messages", hasSize(1))
        .body("messages[0].content", org.hamcrest.Matchers.equalTo("smile \uD83D\uDE00"));
  }

  @Test
  void anOversizedFrameClosesWith1009() {
    TestUser alice = Api.newUser();
    String room = Api.newRoom(alice);
    try (WsClient a = joinAndSettle(alice, room)) {
      a.send("z".repeat(70_000));
      assertEquals(1009, a.awaitClose(Duration.ofSeconds(10)));
    }
  }

  @Test
  void handshakeWithoutValidTokenIs401() throws Exception {
    TestUser alice = Api.newUser();
    String room = Api.newRoom(alice);
    assertEquals(401, WsClient.rejectedStatus(vertx, WsClient.to(base, room)));
    assertEquals(401, WsClient.rejectedStatus(vertx, WsClient.to(base, room).bearer("garbage")));
    // No token and an unknown room: still 401, so room names do not leak.
    assertEquals(401, WsClient.rejectedStatus(vertx, WsClient.to(base, "no-such-room")));

    String expired =
        Jwt.issuer("huddle")
            .subject(alice.id())
            .claim("username", alice.username())
            .claim("jti", Api.unique("jti"))
            .issuedAt(Instant.now().minusSeconds(7200))
            .expiresAt(Instant.now().minusSeconds(3600))
            .sign();
    assertEquals(401, WsClient.rejectedStatus(vertx, WsClient.to(base, room).bearer(expired)));

    String token = Api.login(alice.email(), Api.PASSWORD);
    given().auth().oauth2(token).post("/api/v1/user/logout").then().statusCode(200);
    assertEquals(401, WsClient.rejectedStatus(vertx, WsClient.to(base, room).bearer(token)));
    assertEquals(401, WsClient.rejectedStatus(vertx, WsClient.to(base, room).cookie(token)));
  }

  @Test
  void unknownRoomIs404() {
    TestUser alice = Api.newUser();
    assertEquals(
        404,
        WsClient.rejectedStatus(vertx, WsClient.to(base, "no-such-room").bearer(alice.token())));
  }

  @Test
  void aRoomIdThatCannotExistIs404NotA500() {
    // A NUL reached PostgreSQL before and failed there ("invalid byte sequence"): a 500.
    TestUser alice = Api.newUser();
    for (String path : List.of("%00", "a%00b", "..")) {
      assertEquals(
          404,
          WsClient.rejectedStatus(
              vertx, WsClient.toPath(base, "/api/v1/ws/joinRoom/" + path).bearer(alice.token())),
          path);
    }
  }

  @Test
  void tokenIsAcceptedFromCookieAndSubprotocol() {
    TestUser alice = Api.newUser();
    String room = Api.newRoom(alice);
    try (WsClient a = WsClient.open(vertx, WsClient.to(base, room).cookie(alice.token()))) {
      assertTrue(isJoinOf(a.nextOfType("join"), alice));
    }
    String carrier =
        URLEncoder.encode(
                "quarkus-http-upgrade#Authorization#Bearer " + alice.token(),
                StandardCharsets.UTF_8)
            .replace("+", "%20");
    try (WsClient a =
        WsClient.open(vertx, WsClient.to(base, room).subprotocol("huddle").subprotocol(carrier))) {
      assertEquals("huddle", a.selectedSubprotocol());
      assertTrue(isJoinOf(a.nextOfType("join"), alice));
    }
  }

  @Test
  void originIsCheckedBeforeTheUpgrade() {
    TestUser alice = Api.newUser();
    String room = Api.newRoom(alice);
    assertEquals(
        403,
        WsClient.rejectedStatus(
            vertx,
            WsClient.to(base, room)
                .cookie(alice.token())
                .header("Origin", "https://evil.example")));
    String own = "http://" + base.getHost() + ":" + base.getPort();
    try (WsClient a =
        WsClient.open(vertx, WsClient.to(base, room).cookie(alice.token()).header("Origin", own))) {
      assertTrue(isJoinOf(a.nextOfType("join"), alice));
    }
    // Configured in application.properties (%test) as an extra allowed origin.
    try (WsClient a =
        WsClient.open(
            vertx,
            WsClient.to(base, room)
                .cookie(alice.token())
                .header("Origin", "https://allowed.example"))) {
      assertTrue(isJoinOf(a.nextOfType("join"), alice));
    }
  }

  @Test
  void roomIdsWithSpacesWork() {
    TestUser alice = Api.newUser();
    String room = Api.unique("with space");
    given()
        .auth()
        .oauth2(alice.token())
        .contentType(ContentType.JSON)
        .body(Map.of("id", room, "name", "Spacey"))
        .post("/api/v1/ws/createRoom")
        .then()
        .statusCode(201);
    try (WsClient a = joinAndSettle(alice, room)) {
      a.send("hi");
      assertEquals(room, a.next(f -> isMessage(f, "hi")).path("roomId").asText());
      assertThat(clientNames(alice, room), alice.username());
    }
  }

  @Test
  void aStalledReaderIsEvictedWithoutDelayingTheOthers() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    TestUser slow = Api.newUser();
    String room = Api.newRoom(alice);
    try (WsClient a = joinAndSettle(alice, room);
        WsClient b = joinAndSettle(bob, room);
        WsClient s = joinAndSettle(slow, room)) {
      a.next(f -> isJoinOf(f, slow));
      b.next(f -> isJoinOf(f, slow));
      long evictionsBefore = hub.slowConsumerEvictions();
      s.stopReading();
      // Far more than the kernel's socket buffers hold, so the stalled client's backlog fills.
      String payload = "p".repeat(3000);
      int count = 3000;
      // In chunks that alice reads back before sending more: on a busy machine her own client,
      // sending as fast as it can, could otherwise lag its 1024-frame backlog and be evicted too.
      for (int i = 0; i < count; i++) {
        a.send(i + ":" + payload);
        if (i % 200 == 199) {
          String last = i + ":" + payload;
          a.next(f -> isMessage(f, last));
        }
      }
      // Bob keeps up: every message arrives, in order, and the slow reader's leave comes
      // somewhere among them.
      int received = 0;
      boolean slowLeft = false;
      while (received < count) {
        JsonNode f = b.next();
        if ("leave".equals(f.path("type").asText())) {
          assertEquals(slow.id(), f.path("userId").asText());
          slowLeft = true;
        } else {
          assertEquals(received + ":" + payload, f.path("content").asText());
          received++;
        }
      }
      if (!slowLeft) {
        assertEquals(slow.id(), b.nextOfType("leave").path("userId").asText());
      }
      assertEquals(1, hub.slowConsumerEvictions() - evictionsBefore);
      assertThat(clientNames(alice, room), alice.username(), bob.username());
      // Once it reads again, the evicted client finds the policy-violation close.
      s.resumeReading();
      assertEquals(1008, s.awaitClose(Duration.ofSeconds(30)));
    }
  }
}
