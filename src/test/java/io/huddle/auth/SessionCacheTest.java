package io.huddle.auth;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.huddle.support.Api;
import io.huddle.support.Api.TestUser;
import io.huddle.support.Metrics;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Base64;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Token checks answered from memory stay exact: what another replica (or an operator) changes in
 * PostgreSQL reaches this node through the V3 triggers' notifications.
 */
@QuarkusTest
class SessionCacheTest {
  @Inject AgroalDataSource dataSource;
  @Inject SessionCache cache;

  private static String jtiOf(String token) throws Exception {
    byte[] payload = Base64.getUrlDecoder().decode(token.split("\\.")[1]);
    return new ObjectMapper()
        .readTree(new String(payload, StandardCharsets.UTF_8))
        .path("jti")
        .asText();
  }

  @Test
  void checksAreAnsweredFromMemoryWhileTheListenerIsUp() {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(cache::current);
    assertEquals(1.0, Metrics.value("huddle_session_cache_current"));
  }

  @Test
  void aTokenRevokedByAnotherReplicaIsRefusedWithinMilliseconds() throws Exception {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(cache::current);
    TestUser bob = Api.newUser();
    String token = bob.token();
    // Checked once, so this node now knows the account and answers from memory.
    given().auth().oauth2(token).get("/api/v1/user/me").then().statusCode(200);
    given().auth().oauth2(token).get("/api/v1/user/me").then().statusCode(200);
    // What another replica's logout writes (this node's own logout path is not involved).
    try (Connection c = dataSource.getConnection();
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO revoked_tokens (jti, expires_at) VALUES (?, now() + interval '1 hour')")) {
      insert.setString(1, jtiOf(token));
      assertEquals(1, insert.executeUpdate());
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> given().auth().oauth2(token).get("/api/v1/user/me").statusCode() == 401);
    // Another token of the same account is not affected.
    String other = Api.login(bob.email(), Api.PASSWORD);
    given().auth().oauth2(other).get("/api/v1/user/me").then().statusCode(200);
  }

  @Test
  void malformedNotificationsAreIgnored() {
    cache.apply("t:not-a-number:x");
    cache.apply("u:");
    cache.apply("something else");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(cache::current);
  }
}
