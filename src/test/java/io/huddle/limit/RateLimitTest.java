package io.huddle.limit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.huddle.support.Api;
import io.huddle.support.Metrics;
import io.huddle.support.RawWebSocket;
import io.huddle.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.http.conn.params.ConnRoutePNames;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Every rate limit with small values, from "addresses" a trusted proxy reports in {@code
 * X-Forwarded-For} (each test its own, so the tests do not share buckets).
 */
@QuarkusTest
@TestProfile(RateLimitTest.SmallLimits.class)
class RateLimitTest {

  public static class SmallLimits implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.ofEntries(
          Map.entry("huddle.limits.failed-logins-per-email", "1/1H burst 3"),
          Map.entry("huddle.limits.logins-per-address", "5/1H burst 5"),
          Map.entry("huddle.limits.signups-per-address", "3/1H burst 3"),
          Map.entry("huddle.limits.rooms-per-user", "3/1H burst 3"),
          Map.entry("huddle.limits.invites-per-user", "2/1H burst 2"),
          Map.entry("huddle.limits.dms-per-user", "2/1H burst 2"),
          Map.entry("huddle.limits.read-markers-per-user", "1/1H burst 3"),
          Map.entry("huddle.limits.invitation-accepts-per-user", "1/1H burst 2"),
          Map.entry("huddle.limits.moderations-per-user", "2/1H burst 2"),
          // Slow refills, so that a loaded machine sending the frames slowly does not refill a
          // token.
          Map.entry("huddle.limits.messages-per-connection", "1/2S burst 5"),
          Map.entry("huddle.limits.messages-per-user", "1/5S burst 8"),
          Map.entry("huddle.limits.close-after-refused", "3"),
          Map.entry("huddle.limits.sockets-per-user", "2"),
          // The other tests open at most two sockets at a time, all from 127.0.0.1.
          Map.entry("huddle.limits.sockets-per-address", "4"),
          Map.entry("huddle.limits.pings-per-connection", "1/1S burst 5"),
          Map.entry("quarkus.http.proxy.proxy-address-forwarding", "true"),
          Map.entry("quarkus.http.proxy.allow-x-forwarded", "true"),
          Map.entry("quarkus.http.proxy.trusted-proxies", "127.0.0.1"));
    }
  }

  private static final AtomicInteger ADDRESS = new AtomicInteger(1);

  @TestHTTPResource("/")
  URI base;

  @Inject Vertx vertx;

  /** A client address nobody else in this class uses. */
  private static String newAddress() {
    int n = ADDRESS.getAndIncrement();
    return "10.0." + (n / 250) + "." + (n % 250 + 1);
  }

  private static Response signup(String address, String username) {
    return given()
        .header("X-Forwarded-For", address)
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "username", username, "email", username + "@example.com", "password", Api.PASSWORD))
        .post("/api/v1/user/signup");
  }

  private static Response login(String address, String email, String password) {
    return given()
        .header("X-Forwarded-For", address)
        .contentType(ContentType.JSON)
        .body(Map.of("email", email, "password", password))
        .post("/api/v1/user/login");
  }

  private static String newUser() {
    String name = name("rl");
    signup(newAddress(), name).then().statusCode(201);
    return name;
  }

  /** A unique username (at most 20 characters, as Api.newUser makes them). */
  private static String name(String prefix) {
    String name = Api.unique(prefix);
    return name.length() > 20 ? name.substring(name.length() - 20) : name;
  }

  private static String token(String username) {
    return login(newAddress(), username + "@example.com", Api.PASSWORD)
        .then()
        .statusCode(200)
        .extract()
        .path("accessToken");
  }

  private static void assertLimited(Response response) {
    response
        .then()
        .statusCode(429)
        .contentType(ContentType.JSON)
        .body("error", containsString("Too many"));
    long retryAfter = Long.parseLong(response.header("Retry-After"));
    assertTrue(retryAfter >= 1 && retryAfter <= 3600, "Retry-After " + retryAfter);
  }

  @Test
  void failedLoginsLockTheEmailEvenForTheRightPasswordAndAnUnknownEmailAlike() {
    String user = newUser();
    String email = user + "@example.com";
    String unknown = Api.unique("nobody") + "@example.com";
    for (int i = 0; i < 3; i++) {
      login(newAddress(), email, "wrong-password").then().statusCode(401);
      login(newAddress(), unknown, "wrong-password").then().statusCode(401);
    }
    assertLimited(login(newAddress(), email, "wrong-password"));
    assertLimited(login(newAddress(), email, Api.PASSWORD));
    // The same answer whether or not the account exists.
    assertLimited(login(newAddress(), unknown, "wrong-password"));
    // Another account is not affected, and a success does not count as a failure.
    String other = newUser();
    for (int i = 0; i < 5; i++) {
      login(newAddress(), other + "@example.com", Api.PASSWORD).then().statusCode(200);
    }
    assertTrue(Metrics.value("huddle_rate_limited_total{limit=\"failed-logins-per-email\"}") >= 3);
  }

  @Test
  void loginAttemptsPerAddress() {
    String address = newAddress();
    for (int i = 0; i < 5; i++) {
      login(address, Api.unique("x") + "@example.com", "wrong-password").then().statusCode(401);
    }
    assertLimited(login(address, Api.unique("x") + "@example.com", "wrong-password"));
    login(newAddress(), Api.unique("x") + "@example.com", "wrong-password").then().statusCode(401);
  }

  /**
   * A request whose TCP connection comes from a real loopback address other than 127.0.0.1 (the
   * only trusted proxy here), to the server's IPv4 address.
   */
  private static io.restassured.specification.RequestSpecification from(String source) {
    InetAddress local;
    try {
      local = InetAddress.getByName(source);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(source, e);
    }
    return given()
        .baseUri("http://127.0.0.1")
        .config(
            RestAssuredConfig.config()
                .httpClient(
                    HttpClientConfig.httpClientConfig()
                        .setParam(ConnRoutePNames.LOCAL_ADDRESS, local)));
  }

  private static Response loginFrom(String source, String forwardedFor) {
    var request = from(source).contentType(ContentType.JSON);
    if (forwardedFor != null) {
      request.header("X-Forwarded-For", forwardedFor);
    }
    return request
        .body(Map.of("email", Api.unique("x") + "@example.com", "password", "wrong-password"))
        .post("/api/v1/user/login");
  }

  @Test
  void loginAttemptsPerRealSourceAddressWhichAnUntrustedClientCannotRename() {
    for (int i = 0; i < 5; i++) {
      loginFrom("127.0.0.2", null).then().statusCode(401);
    }
    assertLimited(loginFrom("127.0.0.2", null));
    // 127.0.0.2 is no trusted proxy: the address it claims is ignored, its own one counts.
    assertLimited(loginFrom("127.0.0.2", newAddress()));
    // Another source address keeps its own budget.
    loginFrom("127.0.0.3", null).then().statusCode(401);
  }

  @Test
  void signupsPerRealSourceAddress() {
    for (int i = 0; i < 4; i++) {
      String username = name("sa");
      Response response =
          from("127.0.0.4")
              .contentType(ContentType.JSON)
              .body(
                  Map.of(
                      "username",
                      username,
                      "email",
                      username + "@example.com",
                      "password",
                      Api.PASSWORD))
              .post("/api/v1/user/signup");
      if (i < 3) {
        response.then().statusCode(201);
      } else {
        assertLimited(response);
      }
    }
  }

  @Test
  void signupsPerAddress() {
    String address = newAddress();
    for (int i = 0; i < 3; i++) {
      signup(address, name("su")).then().statusCode(201);
    }
    assertLimited(signup(address, name("su")));
    signup(newAddress(), name("su")).then().statusCode(201);
  }

  @Test
  void roomCreationsPerUser() {
    String token = token(newUser());
    for (int i = 0; i < 4; i++) {
      Response created =
          given()
              .auth()
              .oauth2(token)
              .contentType(ContentType.JSON)
              .body(Map.of("id", Api.unique("rlroom"), "name", "Room " + i))
              .post("/api/v1/ws/createRoom");
      if (i < 3) {
        created.then().statusCode(201);
      } else {
        assertLimited(created);
      }
    }
  }

  @Test
  void invitationsPerUserAlsoForUnknownUsernames() {
    String owner = newUser();
    String token = token(owner);
    String room = Api.unique("rlroom");
    given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(Map.of("id", room, "name", "Room", "kind", "private"))
        .post("/api/v1/ws/createRoom")
        .then()
        .statusCode(201);
    Response first = invite(token, room, newUser());
    first.then().statusCode(201);
    // An unknown username costs a token too: invitations cannot enumerate usernames at will.
    invite(token, room, name("nobody")).then().statusCode(404);
    assertLimited(invite(token, room, newUser()));
    // Another user's budget is their own.
    String other = token(newUser());
    String otherRoom = Api.unique("rlroom");
    given()
        .auth()
        .oauth2(other)
        .contentType(ContentType.JSON)
        .body(Map.of("id", otherRoom, "name", "Room"))
        .post("/api/v1/ws/createRoom")
        .then()
        .statusCode(201);
    invite(other, otherRoom, newUser()).then().statusCode(201);
  }

  @Test
  void directConversationsPerUserAlsoForUnknownUsernamesButNotForExistingOnes() {
    String token = token(newUser());
    String bob = newUser();
    startDm(token, bob).then().statusCode(201);
    // An unknown username costs a token: the answers cannot enumerate usernames at will.
    startDm(token, name("nobody")).then().statusCode(404);
    assertLimited(startDm(token, newUser()));
    // Opening an existing conversation again is free.
    startDm(token, bob).then().statusCode(200);
    // Another user's budget is their own, also towards the same user.
    startDm(token(newUser()), bob).then().statusCode(201);
  }

  @Test
  void readMarkerUpdatesPerUserOverAllRoomsAlsoThoseThatMoveNothing() {
    String token = token(newUser());
    String first = room();
    String second = room();
    markRead(token, first).then().statusCode(200);
    // A marker that does not move still costs a token (it still costs a write).
    markRead(token, first).then().statusCode(200);
    markRead(token, second).then().statusCode(200);
    assertLimited(markRead(token, second));
    // Reading a marker is free; another user's budget is their own.
    given()
        .auth()
        .oauth2(token)
        .get("/api/v1/rooms/" + first + "/read")
        .then()
        .statusCode(200)
        .body("seq", org.hamcrest.Matchers.equalTo(0));
    markRead(token(newUser()), first).then().statusCode(200);
  }

  @Test
  void invitationAcceptsPerUserAlsoForCodesThatDoNotWork() {
    String owner = token(newUser());
    String room = Api.unique("rlpriv");
    given()
        .auth()
        .oauth2(owner)
        .contentType(ContentType.JSON)
        .body(Map.of("id", room, "name", "Private", "kind", "private"))
        .post("/api/v1/ws/createRoom")
        .then()
        .statusCode(201);
    String code =
        given()
            .auth()
            .oauth2(owner)
            .contentType(ContentType.JSON)
            .body(Map.of("expiresInSeconds", 600))
            .post("/api/v1/rooms/" + room + "/invitations")
            .then()
            .statusCode(201)
            .extract()
            .path("code");
    String guesser = token(newUser());
    acceptInvitation(guesser, "A".repeat(32)).then().statusCode(404);
    acceptInvitation(guesser, "B".repeat(32)).then().statusCode(404);
    // Out of attempts: even the right code waits.
    assertLimited(acceptInvitation(guesser, code));
    acceptInvitation(token(newUser()), code).then().statusCode(201);
  }

  private static Response acceptInvitation(String token, String code) {
    return given().auth().oauth2(token).post("/api/v1/invitations/" + code + "/accept");
  }

  @Test
  void moderationActionsPerUserAlsoOnUnknownUsersButNotReads() {
    String owner = newUser();
    String token = token(owner);
    String room = Api.unique("rlmod");
    given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(Map.of("id", room, "name", "Moderated"))
        .post("/api/v1/ws/createRoom")
        .then()
        .statusCode(201);
    // An unknown user costs a token too: kicks cannot probe user ids at will.
    kick(token, room, "999999999").then().statusCode(404);
    kick(token, room, "999999998").then().statusCode(404);
    assertLimited(kick(token, room, "999999997"));
    assertLimited(given().auth().oauth2(token).post("/api/v1/rooms/" + room + "/archive"));
    // Reading the bans and the audit log is free.
    given().auth().oauth2(token).get("/api/v1/rooms/" + room + "/bans").then().statusCode(200);
    given()
        .auth()
        .oauth2(token)
        .get("/api/v1/rooms/" + room + "/moderation")
        .then()
        .statusCode(200);
  }

  private static Response markRead(String token, String room) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(Map.of("seq", 0))
        .put("/api/v1/rooms/" + room + "/read");
  }

  private static Response kick(String token, String room, String userId) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(Map.of("userId", userId))
        .post("/api/v1/rooms/" + room + "/kicks");
  }

  private static Response startDm(String token, String username) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(Map.of("username", username))
        .post("/api/v1/dms");
  }

  private static Response invite(String token, String room, String username) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(Map.of("username", username))
        .post("/api/v1/rooms/" + room + "/members");
  }

  private String room() {
    String id = Api.unique("rlroom");
    given()
        .auth()
        .oauth2(token(newUser()))
        .contentType(ContentType.JSON)
        .body(Map.of("id", id, "name", "Room"))
        .post("/api/v1/ws/createRoom")
        .then()
        .statusCode(201);
    return id;
  }

  private static String frame(String clientId) {
    return "{\"type\":\"message\",\"content\":\"hi "
        + clientId
        + "\",\"clientId\":\""
        + clientId
        + "\"}";
  }

  /** Sends the frames at once and collects, per clientId, the ack or error that answers it. */
  private static List<JsonNode> sendAll(WsClient ws, List<String> clientIds) {
    clientIds.forEach(id -> ws.send(frame(id)));
    List<JsonNode> answers = new ArrayList<>();
    for (int i = 0; i < clientIds.size(); i++) {
      answers.add(ws.next(f -> f.has("clientId")));
    }
    return answers;
  }

  @Test
  void messagesBeyondTheBurstGetAnErrorWithARetryHintAndCanBeSentAgainLater() {
    String room = room();
    try (WsClient ws = WsClient.open(vertx, WsClient.to(base, room).bearer(token(newUser())))) {
      ws.nextOfType("history");
      List<String> ids = List.of("m1", "m2", "m3", "m4", "m5", "m6", "m7");
      List<JsonNode> answers = sendAll(ws, ids);
      long acked = answers.stream().filter(a -> "ack".equals(a.path("type").asText())).count();
      assertEquals(5, acked, answers.toString());
      JsonNode refused =
          answers.stream().filter(a -> "error".equals(a.path("type").asText())).findFirst().get();
      assertEquals("error", refused.path("type").asText(), refused.toString());
      assertEquals(
          List.of("m6", "m7"),
          answers.stream()
              .filter(a -> "error".equals(a.path("type").asText()))
              .map(a -> a.path("clientId").asText())
              .sorted()
              .toList());
      long retryAfterMs = refused.path("retryAfterMs").asLong();
      assertTrue(retryAfterMs > 0 && retryAfterMs <= 2000, refused.toString());

      sleep(Duration.ofMillis(retryAfterMs + 50));
      ws.send(frame("m7"));
      JsonNode ack = ws.next(f -> f.has("clientId"));
      assertEquals("ack", ack.path("type").asText(), ack.toString());
      assertEquals(6, ack.path("seq").asLong());
      assertFalse(ws.isClosed());
    }
    given()
        .auth()
        .oauth2(token(newUser()))
        .get("/api/v1/rooms/" + room + "/messages")
        .then()
        .statusCode(200)
        .body(
            "messages.content",
            equalTo(List.of("hi m1", "hi m2", "hi m3", "hi m4", "hi m5", "hi m7")));
  }

  @Test
  void typingFramesTakeMessageTokensButAreRefusedWithoutAnAnswerAndAFloodIsClosed() {
    String room = room();
    try (WsClient ws = WsClient.open(vertx, WsClient.to(base, room).bearer(token(newUser())))) {
      ws.nextOfType("history");
      ws.nextOfType("join");
      // The burst of 5 goes to typing frames (beyond typing-per-connection's 3 they are dropped
      // silently), then 2 more are refused by the message limit: silently too.
      for (int i = 0; i < 7; i++) {
        ws.send("{\"type\":\"typing\"}");
      }
      ws.assertNoFrameFor(Duration.ofMillis(500));
      // The typing frames used the connection's message tokens: this message is refused.
      ws.send(frame("after-typing"));
      JsonNode refused = ws.next(f -> f.has("clientId"));
      assertEquals("error", refused.path("type").asText(), refused.toString());
      assertTrue(refused.path("retryAfterMs").asLong() > 0, refused.toString());
      // 3 refusals in a row so far; the next typing frame is one too many (close-after-refused 3).
      ws.send("{\"type\":\"typing\"}");
      assertEquals(1008, ws.awaitClose(Duration.ofSeconds(5)));
    }
  }

  @Test
  void aSenderThatIgnoresTheRefusalsIsClosedWith1008() {
    try (WsClient ws = WsClient.open(vertx, WsClient.to(base, room()).bearer(token(newUser())))) {
      ws.nextOfType("history");
      for (int i = 0; i < 12 && !ws.isClosed(); i++) {
        try {
          ws.send(frame("flood-" + i));
        } catch (RuntimeException closedMeanwhile) {
          // The server closes as soon as the limit says so: the rest cannot be sent.
          break;
        }
      }
      assertEquals(1008, ws.awaitClose(Duration.ofSeconds(5)));
    }
  }

  @Test
  void aPingFloodIsClosedWith1008AndAFewPingsAreFine() {
    String token = token(newUser());
    String room = room();
    try (WsClient calm = WsClient.open(vertx, WsClient.to(base, room).bearer(token));
        WsClient flood = WsClient.open(vertx, WsClient.to(base, room).bearer(token))) {
      calm.nextOfType("history");
      flood.nextOfType("history");
      for (int i = 0; i < 3; i++) {
        calm.ping();
      }
      for (int i = 0; i < 50 && !flood.isClosed(); i++) {
        try {
          flood.ping();
        } catch (RuntimeException closedMeanwhile) {
          break;
        }
      }
      assertEquals(1008, flood.awaitClose(Duration.ofSeconds(5)));
      // Text still flows on a socket that pings within its limit.
      calm.send(frame("after-pings"));
      assertEquals("ack", calm.next(f -> f.has("clientId")).path("type").asText());
      assertFalse(calm.isClosed());
    }
  }

  /**
   * Thousands of pings in one TCP write (what a flood looks like to the server): the socket is
   * closed with 1008 after the burst, and the pings read with the one over the limit get no pong.
   */
  @Test
  void pingsReadTogetherWithTheOneOverTheLimitGetNoPong() throws Exception {
    String token = token(newUser());
    String room = room();
    try (RawWebSocket socket =
        RawWebSocket.connect(
            base, "/api/v1/ws/joinRoom/" + room, "Authorization: Bearer " + token)) {
      assertEquals(101, socket.status());
      socket.nextTextContaining("\"type\":\"join\"");
      socket.sendRepeated(RawWebSocket.PING, new byte[0], 3000);
      int pongs = 0;
      RawWebSocket.Frame frame;
      while ((frame = socket.next()) != null && frame.opcode() != RawWebSocket.CLOSE) {
        if (frame.opcode() == RawWebSocket.PONG) {
          pongs++;
        }
      }
      assertNotNull(frame, "the connection ended without a close frame");
      assertEquals(1008, frame.closeCode());
      // The burst is 5 (one more token may have refilled while the test read the join).
      assertTrue(pongs <= 6, pongs + " pongs");
      // Nothing after the close frame: the server shut its side.
      assertNull(socket.next());
    }
  }

  @Test
  void theUserLimitSpansTheirConnections() {
    String token = token(newUser());
    String room = room();
    try (WsClient a = WsClient.open(vertx, WsClient.to(base, room).bearer(token));
        WsClient b = WsClient.open(vertx, WsClient.to(base, room).bearer(token))) {
      a.nextOfType("history");
      b.nextOfType("history");
      List<JsonNode> answers = new ArrayList<>(sendAll(a, List.of("a1", "a2", "a3", "a4", "a5")));
      answers.addAll(sendAll(b, List.of("b1", "b2", "b3", "b4", "b5")));
      long acked = answers.stream().filter(x -> "ack".equals(x.path("type").asText())).count();
      // 5 each per connection, but 8 for the user.
      assertEquals(8, acked, answers.toString());
    }
  }

  @Test
  void restEditsTakeFromTheUsersMessageBucketToo() {
    String token = token(newUser());
    String room = room();
    long seq;
    try (WsClient a = WsClient.open(vertx, WsClient.to(base, room).bearer(token))) {
      a.nextOfType("history");
      JsonNode ack = sendAll(a, List.of("e1")).get(0);
      assertEquals("ack", ack.path("type").asText(), ack.toString());
      seq = ack.path("seq").asLong();
    }
    // The message took 1 of the user's 8; 7 edits pass, the next is refused.
    for (int i = 0; i < 7; i++) {
      given()
          .auth()
          .oauth2(token)
          .contentType(ContentType.JSON)
          .body(Map.of("content", "edit " + i))
          .patch("/api/v1/rooms/" + room + "/messages/" + seq)
          .then()
          .statusCode(200);
    }
    assertLimited(
        given()
            .auth()
            .oauth2(token)
            .contentType(ContentType.JSON)
            .body(Map.of("content", "one too many"))
            .patch("/api/v1/rooms/" + room + "/messages/" + seq));
  }

  @Test
  void socketsPerUser() {
    String token = token(newUser());
    String room = room();
    try (WsClient a = WsClient.open(vertx, WsClient.to(base, room).bearer(token));
        WsClient b = WsClient.open(vertx, WsClient.to(base, room).bearer(token))) {
      a.nextOfType("history");
      b.nextOfType("history");
      assertEquals(429, WsClient.rejectedStatus(vertx, WsClient.to(base, room).bearer(token)));
      b.close();
      // The slot is free again once the server has seen the close.
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> {
                try (WsClient c = WsClient.open(vertx, WsClient.to(base, room).bearer(token))) {
                  c.nextOfType("history");
                  return true;
                } catch (RuntimeException e) {
                  return false;
                }
              });
    }
  }

  @Test
  void socketsPerAddressWhoeverTheAccounts() {
    String address = newAddress();
    String room = room();
    List<String> tokens = List.of(token(newUser()), token(newUser()), token(newUser()));
    List<WsClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        WsClient ws =
            WsClient.open(
                vertx,
                WsClient.to(base, room)
                    .bearer(tokens.get(i / 2))
                    .header("X-Forwarded-For", address));
        open.add(ws);
        ws.nextOfType("history");
      }
      // A third account, below its own cap, from the same address: refused.
      assertEquals(
          429,
          WsClient.rejectedStatus(
              vertx,
              WsClient.to(base, room).bearer(tokens.get(2)).header("X-Forwarded-For", address)));
      // The same account from another address is fine.
      try (WsClient elsewhere =
          WsClient.open(
              vertx,
              WsClient.to(base, room)
                  .bearer(tokens.get(2))
                  .header("X-Forwarded-For", newAddress()))) {
        elsewhere.nextOfType("history");
      }
      assertTrue(Metrics.value("huddle_rate_limited_total{limit=\"sockets-per-address\"}") >= 1);
    } finally {
      open.forEach(WsClient::close);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
