package io.huddle.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.huddle.support.MigrationSchema;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * V9 upgrades a database that already holds rooms and messages: every existing row becomes a
 * message with its text, seq and clientId as they were, and the new constraints hold. Runs the real
 * migrations in a schema of its own, as the other migration tests do.
 */
@QuarkusTest
class MessageEditsMigrationTest {
  private final MigrationSchema schema = new MigrationSchema("upgrade_v9_test");

  @AfterEach
  void dropSchema() throws SQLException {
    schema.drop();
  }

  @Test
  void existingMessagesBecomeMessageRowsAndTheNewConstraintsHold() throws SQLException {
    schema.drop();
    schema.migrateTo("8");
    schema.execute(
        "INSERT INTO users (id, username, password, email) VALUES"
            + " (1, 'alice', 'x', 'a@example.com'), (2, 'bob', 'x', 'b@example.com')",
        "INSERT INTO rooms (id, name, created_by, created_at, last_seq, kind) VALUES"
            + " ('r1', 'First', 1, '2026-01-01T00:00:00Z', 2, 'public')",
        "INSERT INTO messages (room_id, seq, user_id, content, client_id, sent_at) VALUES"
            + " ('r1', 1, 1, 'hello', 'c1', now()), ('r1', 2, 2, 'hi', NULL, now())");
    schema.migrateTo("latest");
    assertEquals(
        List.of("1 message hello c1 - - -", "2 message hi - - - -"),
        schema.rows(
            "SELECT seq || ' ' || kind || ' ' || content || ' ' || coalesce(client_id, '-')"
                + " || ' ' || coalesce(target_seq::text, '-')"
                + " || ' ' || coalesce(edited_at::text, '-')"
                + " || ' ' || coalesce(deleted_at::text, '-') FROM messages ORDER BY seq"));
    assertEquals(List.of("2"), schema.rows("SELECT last_seq::text FROM rooms"));

    String insert =
        "INSERT INTO messages (room_id, seq, user_id, content, sent_at, kind, target_seq)"
            + " VALUES ('r1', 3, 1, ";
    // An event names its message; a message names none; kinds are the three.
    assertEquals("23514", schema.sqlState(insert + "'x', now(), 'edit', NULL)"));
    assertEquals("23514", schema.sqlState(insert + "'x', now(), 'message', 1)"));
    assertEquals("23514", schema.sqlState(insert + "'x', now(), 'undo', 1)"));
    // A delete event never carries text; a message without text is a deleted one.
    assertEquals("23514", schema.sqlState(insert + "'x', now(), 'delete', 1)"));
    assertEquals("23514", schema.sqlState("UPDATE messages SET content = NULL WHERE seq = 1"));
    assertEquals(
        "no error",
        schema.sqlState("UPDATE messages SET content = NULL, deleted_at = now() WHERE seq = 1"));
    assertEquals("no error", schema.sqlState(insert + "NULL, now(), 'delete', 1)"));
    // Only messages are marked edited or deleted.
    assertEquals(
        "23514", schema.sqlState("UPDATE messages SET edited_at = now() WHERE kind = 'delete'"));
  }
}
