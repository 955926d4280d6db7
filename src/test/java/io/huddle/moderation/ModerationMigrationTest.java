package io.huddle.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.huddle.support.MigrationSchema;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * V10 upgrades a database that already holds users, rooms, members and messages: they stay as they
 * were, no room is archived, and an archived room refuses new messages in PostgreSQL itself (the
 * way MessageWriter stores them: by advancing {@code last_seq}) while others take them. Runs the
 * real migrations in a schema of its own, like DirectMessagesMigrationTest.
 */
@QuarkusTest
class ModerationMigrationTest {
  private final MigrationSchema schema = new MigrationSchema("upgrade_v10_test");

  @AfterEach
  void dropSchema() throws SQLException {
    schema.drop();
  }

  @Test
  void existingRoomsAndMessagesStayAndAnArchivedRoomRefusesNewMessages() throws SQLException {
    schema.drop();
    schema.migrateTo("8");
    schema.execute(
        "INSERT INTO users (id, username, password, email) VALUES"
            + " (1, 'alice', 'x', 'a@example.com'), (2, 'bob', 'x', 'b@example.com')",
        "INSERT INTO rooms (id, name, created_by, created_at, last_seq, kind) VALUES"
            + " ('r1', 'First', 1, '2026-01-01T00:00:00Z', 2, 'public'),"
            + " ('p1', 'Secret', 2, '2026-01-02T00:00:00Z', 0, 'private')",
        "INSERT INTO room_members (room_id, user_id, role) VALUES"
            + " ('r1', 1, 'owner'), ('p1', 2, 'owner'), ('p1', 1, 'member')",
        "INSERT INTO messages (room_id, seq, user_id, content, sent_at) VALUES"
            + " ('r1', 1, 1, 'hello', now()), ('r1', 2, 2, 'hi', now())");
    schema.migrateTo("latest");
    assertEquals(
        List.of("p1 private 0 false", "r1 public 2 false"),
        schema.rows(
            "SELECT id || ' ' || kind || ' ' || last_seq || ' ' || (archived_at IS NOT NULL)"
                + " FROM rooms ORDER BY id"));
    assertEquals(
        List.of("1 hello", "2 hi"),
        schema.rows(
            "SELECT seq || ' ' || content FROM messages WHERE room_id = 'r1' ORDER BY seq"));
    assertEquals(List.of("3"), schema.rows("SELECT count(*)::text FROM room_members"));

    assertEquals("no error", schema.sqlState("UPDATE rooms SET last_seq = 3 WHERE id = 'r1'"));
    assertEquals(
        "no error", schema.sqlState("UPDATE rooms SET archived_at = now() WHERE id = 'r1'"));
    assertEquals("P0001", schema.sqlState("UPDATE rooms SET last_seq = 4 WHERE id = 'r1'"));
    assertEquals("no error", schema.sqlState("UPDATE rooms SET name = 'Old' WHERE id = 'r1'"));
    assertEquals("no error", schema.sqlState("UPDATE rooms SET last_seq = 1 WHERE id = 'p1'"));

    // Bans and mutes go with their room; the audit log stays.
    schema.execute(
        "INSERT INTO room_bans (room_id, user_id, banned_by, created_at) VALUES"
            + " ('p1', 1, 2, now())",
        "INSERT INTO room_mutes (room_id, user_id, muted_by, until, created_at) VALUES"
            + " ('p1', 1, 2, now() + interval '1 hour', now())",
        "INSERT INTO moderation_log (room_id, action, actor_id, actor_name, created_at)"
            + " VALUES ('p1', 'delete', 2, 'bob', now())");
    assertEquals(
        "23514",
        schema.sqlState(
            "INSERT INTO moderation_log (room_id, action, actor_id, actor_name, created_at)"
                + " VALUES ('p1', 'smite', 2, 'bob', now())"));
    schema.execute("DELETE FROM rooms WHERE id = 'p1'");
    assertEquals(
        List.of("0 0 1"),
        schema.rows(
            "SELECT (SELECT count(*) FROM room_bans) || ' ' || (SELECT count(*) FROM room_mutes)"
                + " || ' ' || (SELECT count(*) FROM moderation_log)"));
  }
}
