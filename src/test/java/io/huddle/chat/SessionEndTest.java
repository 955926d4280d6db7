package io.huddle.chat;

import static io.restassured.RestAssured.given;
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
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A session that ends closes its open sockets: logout, expiry, a deleted account. */
@QuarkusTest
@TestProfile(SessionEndTest.ShortTokens.class)
class SessionEndTest {

  public static class ShortTokens implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "huddle.token.lifetime", "4S",
          // SmallRye JWT ignores 0 (keeps its 60 s default): 1 s is the smallest allowance.
          "mp.jwt.verify.clock.skew", "1",
          "huddle.limits.session-check-interval", "1s");
    }
  }

  @TestHTTPResource("/")
  URI base;

  @Inject Vertx vertx;
  @Inject AgroalDataSource dataSource;

  @Test
  void logoutClosesTheSocketsOfThatTokenOnly() {
    TestUser alice = Api.newUser();
    String room = Api.newRoom(alice);
    String otherDevice = Api.login(alice.email(), Api.PASSWORD);
    try (WsClient loggedOut = WsClient.open(vertx, WsClient.to(base, room).bearer(alice.token()));
        WsClient other = WsClient.open(vertx, WsClient.to(base, room).bearer(otherDevice))) {
      loggedOut.nextOfType("history");
      other.nextOfType("history");
      given().auth().oauth2(alice.token()).post("/api/v1/user/logout").then().statusCode(200);
      assertEquals(Sessions.LOGGED_OUT, loggedOut.awaitClose(Duration.ofSeconds(2)));
      assertFalse(other.isClosed(), "the user's other token keeps its socket");
      assertEquals(
          401, WsClient.rejectedStatus(vertx, WsClient.to(base, room).bearer(alice.token())));
    }
  }

  @Test
  void aSocketClosesWhenItsTokenExpires() {
    TestUser bob = Api.newUser();
    String room = Api.newRoom(bob);
    try (WsClient ws = WsClient.open(vertx, WsClient.to(base, room).bearer(bob.token()))) {
      ws.nextOfType("history");
      // Issued with a 4 s lifetime (whole seconds) and a 1 s allowance: closed within ~6 s.
      assertEquals(Sessions.EXPIRED, ws.awaitClose(Duration.ofSeconds(8)));
    }
    // REST agrees within a second (token times are whole seconds).
    Awaitility.await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> given().auth().oauth2(bob.token()).get("/api/v1/user/me").statusCode() == 401);
  }

  @Test
  void aRefreshFrameMovesTheSocketToANewTokenOfTheSameUser() throws Exception {
    TestUser dan = Api.newUser();
    TestUser eve = Api.newUser();
    String room = Api.newRoom(dan);
    long start = System.nanoTime();
    String first = Api.login(dan.email(), Api.PASSWORD);
    try (WsClient ws = WsClient.open(vertx, WsClient.to(base, room).bearer(first))) {
      ws.nextOfType("history");
      // Another user's token is refused; the socket stays.
      ws.send("{\"type\":\"refresh\",\"token\":\"" + eve.token() + "\"}");
      assertEquals("That token is another user's", ws.nextOfType("error").path("error").asText());
      ws.send("{\"type\":\"refresh\",\"token\":\"not-a-token\"}");
      assertTrue(ws.nextOfType("error").path("error").asText().startsWith("That token is not"));

      sleepUntil(start, Duration.ofSeconds(3));
      io.restassured.response.Response login =
          given()
              .contentType("application/json")
              .body(Map.of("email", dan.email(), "password", Api.PASSWORD))
              .post("/api/v1/user/login");
      String second = login.path("accessToken");
      ws.send("{\"type\":\"refresh\",\"token\":\"" + second + "\"}");
      JsonNode refreshed = ws.nextOfType("refreshed");
      assertEquals(
          Instant.parse(login.path("expiresAt")),
          Instant.parse(refreshed.path("expiresAt").asText()));
      // The first token's socket would have closed by now (4 s + 1 s skew + the 1 s sweep).
      sleepUntil(start, Duration.ofMillis(6500));
      assertFalse(ws.isClosed(), "the refreshed socket outlives the first token");
      assertEquals(Sessions.EXPIRED, ws.awaitClose(Duration.ofSeconds(4)));
    }
  }

  private static void sleepUntil(long startNanos, Duration after) throws InterruptedException {
    long left = after.toNanos() - (System.nanoTime() - startNanos);
    if (left > 0) {
      Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
    }
  }

  @Test
  void aDeletedAccountLosesRestAndSocketsAtOnce() throws Exception {
    TestUser owner = Api.newUser();
    String room = Api.newRoom(owner);
    TestUser carol = Api.newUser();
    try (WsClient ws = WsClient.open(vertx, WsClient.to(base, room).bearer(carol.token()))) {
      ws.nextOfType("history");
      try (Connection c = dataSource.getConnection();
          PreparedStatement delete = c.prepareStatement("DELETE FROM users WHERE id = ?")) {
        delete.setLong(1, Long.parseLong(carol.id()));
        assertEquals(1, delete.executeUpdate());
      }
      // Token checks are answered from memory, which PostgreSQL's notification of the deletion
      // (an operator's SQL here, not Huddle's) updates within milliseconds.
      Awaitility.await()
          .atMost(Duration.ofSeconds(2))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () ->
                  given().auth().oauth2(carol.token()).get("/api/v1/user/me").statusCode() == 401);
      given()
          .auth()
          .oauth2(carol.token())
          .get("/api/v1/rooms/" + room + "/messages")
          .then()
          .statusCode(401);
      assertEquals(
          401, WsClient.rejectedStatus(vertx, WsClient.to(base, room).bearer(carol.token())));
      assertEquals(Sessions.ACCOUNT_GONE, ws.awaitClose(Duration.ofSeconds(4)));
    }
  }
}
