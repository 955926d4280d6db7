package io.huddle.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.huddle.support.MigrationSchema;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * V13 upgrades a database that holds rooms, messages, edits and deletes: the rows stay as they
 * were, a moderation row takes its place in the sequence, and the new constraints hold. Runs the
 * real migrations in a schema of its own, as the other migration tests do.
 */
@QuarkusTest
class ModerationEventsMigrationTest {
  private final MigrationSchema schema = new MigrationSchema("upgrade_v13_test");

  @AfterEach
  void dropSchema() throws SQLException {
    schema.drop();
  }

  @Test
  void existingRowsStayAndModerationRowsJoinTheSequence() throws SQLException {
    schema.drop();
    schema.migrateTo("12");
    schema.execute(
        "INSERT INTO users (id, username, password, email) VALUES"
            + " (1, 'alice', 'x', 'a@example.com'), (2, 'bob', 'x', 'b@example.com')",
        "INSERT INTO rooms (id, name, created_by, created_at, last_seq, kind) VALUES"
            + " ('r1', 'First', 1, '2026-01-01T00:00:00Z', 3, 'public')",
        "INSERT INTO messages (room_id, seq, user_id, content, sent_at, kind, target_seq)"
            + " VALUES ('r1', 1, 1, 'hello!', now(), 'message', NULL),"
            + " ('r1', 2, 1, 'hello!', now(), 'edit', 1),"
            + " ('r1', 3, 2, NULL, now(), 'delete', 1)");
    schema.migrateTo("latest");
    assertEquals(
        List.of("1 message - -", "2 edit 1 -", "3 delete 1 -"),
        schema.rows(
            "SELECT seq || ' ' || kind || ' ' || coalesce(target_seq::text, '-')"
                + " || ' ' || coalesce(action, '-') FROM messages ORDER BY seq"));

    String insert =
        "INSERT INTO messages (room_id, seq, user_id, content, sent_at, kind, target_seq,"
            + " action, subject_id, subject_name, until) VALUES ('r1', 4, 1, ";
    // A moderation row names no message, carries no text, and has one of the six actions.
    assertEquals(
        "23514", schema.sqlState(insert + "NULL, now(), 'moderation', 1, 'kick', 2, 'bob', NULL)"));
    assertEquals(
        "23514",
        schema.sqlState(insert + "'spam', now(), 'moderation', NULL, 'ban', 2, 'bob', NULL)"));
    assertEquals(
        "23514",
        schema.sqlState(insert + "NULL, now(), 'moderation', NULL, NULL, 2, 'bob', NULL)"));
    assertEquals(
        "23514",
        schema.sqlState(insert + "NULL, now(), 'moderation', NULL, 'delete', NULL, NULL, NULL)"));
    // Only a moderation row has an action or a subject.
    assertEquals(
        "23514",
        schema.sqlState(insert + "'x', now(), 'message', NULL, 'kick', NULL, NULL, NULL)"));
    assertEquals(
        "23514", schema.sqlState(insert + "'x', now(), 'message', NULL, NULL, 2, 'bob', NULL)"));
    // Edits and deletes still name their message.
    assertEquals(
        "23514", schema.sqlState(insert + "'x', now(), 'edit', NULL, NULL, NULL, NULL, NULL)"));
    assertEquals(
        "no error",
        schema.sqlState(insert + "NULL, now(), 'moderation', NULL, 'mute', 2, 'bob', now())"));
    assertEquals(
        "no error",
        schema.sqlState(
            insert.replace("'r1', 4,", "'r1', 5,")
                + "NULL, now(), 'moderation', NULL, 'archive', NULL, NULL, NULL)"));
  }
}
