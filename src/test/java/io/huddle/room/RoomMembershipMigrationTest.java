package io.huddle.room;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.huddle.support.MigrationSchema;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * V4 upgrades a database that already holds users, rooms and messages: every room stays public, its
 * creator becomes its owner, and nothing else changes. Runs the real migrations in a schema of its
 * own in the test database, stopping before V4, fills it with plain SQL, then migrates on.
 */
@QuarkusTest
class RoomMembershipMigrationTest {
  private final MigrationSchema schema = new MigrationSchema("upgrade_v4_test");

  @AfterEach
  void dropSchema() throws SQLException {
    schema.drop();
  }

  @Test
  void existingRoomsBecomePublicWithTheirCreatorAsOwner() throws SQLException {
    schema.drop();
    // V2 is the last version before V4 on every branch (a parallel branch adds V3).
    schema.migrateTo("2");
    schema.execute(
        "INSERT INTO users (id, username, password, email) VALUES"
            + " (1, 'alice', 'x', 'a@example.com'), (2, 'bob', 'x', 'b@example.com')",
        "INSERT INTO rooms (id, name, created_by, created_at, last_seq) VALUES"
            + " ('r1', 'First', 1, '2026-01-01T00:00:00Z', 2),"
            + " ('r2', 'Second', 2, '2026-01-02T00:00:00Z', 0)",
        "INSERT INTO messages (room_id, seq, user_id, content, sent_at) VALUES"
            + " ('r1', 1, 1, 'hello', now()), ('r1', 2, 2, 'hi', now())");

    schema.migrateTo("latest");

    assertEquals(
        List.of("r1 public 2", "r2 public 0"),
        schema.rows("SELECT id || ' ' || kind || ' ' || last_seq FROM rooms ORDER BY id"));
    assertEquals(
        List.of("r1 1 owner 2026-01-01 00:00:00+00", "r2 2 owner 2026-01-02 00:00:00+00"),
        schema.rows(
            "SELECT room_id || ' ' || user_id || ' ' || role || ' '"
                + " || to_char(joined_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00'"
                + " FROM room_members ORDER BY room_id"));
    assertEquals(
        List.of("1 hello", "2 hi"),
        schema.rows(
            "SELECT seq || ' ' || content FROM messages WHERE room_id = 'r1' ORDER BY seq"));
    // The new constraints hold on the upgraded schema.
    assertEquals(
        "23514", schema.sqlState("UPDATE rooms SET kind = 'secret' WHERE id = 'r1'"), "kind check");
    assertEquals(
        "23505",
        schema.sqlState(
            "INSERT INTO room_members (room_id, user_id, role) VALUES ('r1', 2, 'owner')"),
        "one owner per room");
  }
}
