package io.huddle.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.huddle.chat.ModerationRelay;
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
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A moderation action whose broker message a node missed (the node that made it was cut off from
 * Redis) still holds there: each node re-reads its rooms' bans, mutes and archived state every
 * {@code huddle.chat.sanctions-refresh}. Here the rows are written without Huddle's path, as that
 * lost message would leave them.
 */
@QuarkusTest
@TestProfile(SanctionsRefreshTest.FastRefresh.class)
class SanctionsRefreshTest {

  public static class FastRefresh implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("huddle.chat.sanctions-refresh", "1s");
    }
  }

  @TestHTTPResource("/")
  URI base;

  @Inject Vertx vertx;
  @Inject AgroalDataSource dataSource;

  private WsClient join(TestUser user, String room) {
    WsClient client = WsClient.open(vertx, WsClient.to(base, room).bearer(user.token()));
    client.nextOfType("history");
    return client;
  }

  private void sql(String sql, Object... params) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      s.executeUpdate();
    }
  }

  @Test
  void aBanAndAMuteWrittenBehindTheNodesBackHoldWithinARefresh() throws Exception {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    TestUser carol = Api.newUser();
    String room = Api.newRoom(alice);
    try (WsClient b = join(bob, room);
        WsClient c = join(carol, room)) {
      sql(
          "INSERT INTO room_mutes (room_id, user_id, muted_by, until, created_at)"
              + " VALUES (?, ?, ?, now() + interval '1 hour', now())",
          room,
          Long.parseLong(carol.id()),
          Long.parseLong(alice.id()));
      sql(
          "INSERT INTO room_bans (room_id, user_id, banned_by, created_at) VALUES (?, ?, ?, now())",
          room,
          Long.parseLong(bob.id()),
          Long.parseLong(alice.id()));
      assertEquals(ModerationRelay.BANNED, b.awaitClose(Duration.ofSeconds(5)));
      // By now the node has read the mute too: carol's message is refused.
      c.send("{\"type\":\"message\",\"content\":\"still here?\",\"clientId\":\"q1\"}");
      assertTrue(c.nextOfType("error").path("error").asText().startsWith("You are muted"));
      assertFalse(c.isClosed());
    }
    assertEquals(403, WsClient.rejectedStatus(vertx, WsClient.to(base, room).bearer(bob.token())));
  }

  @Test
  void aRoomArchivedOrDeletedBehindTheNodesBackClosesItsSocketsWithinARefresh() throws Exception {
    TestUser alice = Api.newUser();
    String archived = Api.newRoom(alice);
    String deleted = Api.newRoom(alice);
    try (WsClient a = join(alice, archived);
        WsClient d = join(alice, deleted)) {
      sql("UPDATE rooms SET archived_at = now() WHERE id = ?", archived);
      sql("DELETE FROM rooms WHERE id = ?", deleted);
      assertEquals(ModerationRelay.ARCHIVED, a.awaitClose(Duration.ofSeconds(5)));
      assertEquals(ModerationRelay.DELETED, d.awaitClose(Duration.ofSeconds(5)));
    }
    assertEquals(
        410, WsClient.rejectedStatus(vertx, WsClient.to(base, archived).bearer(alice.token())));
    assertEquals(
        404, WsClient.rejectedStatus(vertx, WsClient.to(base, deleted).bearer(alice.token())));
  }
}
