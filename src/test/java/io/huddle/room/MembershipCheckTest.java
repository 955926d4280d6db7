package io.huddle.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.agroal.api.AgroalDataSource;
import io.huddle.chat.RoomRemovals;
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
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A removal whose broker message a node missed (the node that made it was cut off from Redis) is
 * still caught: the periodic check asks PostgreSQL whether the users of private-room sockets are
 * members. Here the membership row goes without Huddle's removal path, as that lost message would
 * leave it.
 */
@QuarkusTest
@TestProfile(MembershipCheckTest.FastCheck.class)
class MembershipCheckTest {

  public static class FastCheck implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("huddle.limits.session-check-interval", "1s");
    }
  }

  @TestHTTPResource("/")
  URI base;

  @Inject Vertx vertx;
  @Inject AgroalDataSource dataSource;

  @Test
  void aSocketWhoseMembershipIsGoneFromTheDatabaseIsClosedWith4004() throws Exception {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String secret = Api.newPrivateRoom(alice);
    String open = Api.newRoom(alice);
    Api.invite(alice, secret, bob);
    Api.invite(alice, open, bob);
    try (WsClient owner = WsClient.open(vertx, WsClient.to(base, secret).bearer(alice.token()));
        WsClient inSecret = WsClient.open(vertx, WsClient.to(base, secret).bearer(bob.token()));
        WsClient inOpen = WsClient.open(vertx, WsClient.to(base, open).bearer(bob.token()))) {
      owner.nextOfType("history");
      inSecret.nextOfType("history");
      inOpen.nextOfType("history");
      try (Connection c = dataSource.getConnection();
          PreparedStatement delete =
              c.prepareStatement("DELETE FROM room_members WHERE user_id = ?")) {
        delete.setLong(1, Long.parseLong(bob.id()));
        assertEquals(2, delete.executeUpdate());
      }
      assertEquals(RoomRemovals.REMOVED, inSecret.awaitClose(Duration.ofSeconds(5)));
      // A public room needs no membership: that socket stays, and so does the owner's.
      inOpen.send("still here");
      inOpen.next(f -> "still here".equals(f.path("content").asText()));
      assertFalse(inOpen.isClosed());
      assertFalse(owner.isClosed());
    }
  }
}
