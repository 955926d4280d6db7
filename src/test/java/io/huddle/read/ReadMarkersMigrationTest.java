package io.huddle.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.huddle.support.MigrationSchema;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * V11 upgrades a database that already holds users, rooms (public, private, direct), members and
 * messages: none of them changes, every user starts without markers, and the new table's keys and
 * checks hold. Runs the real migrations in a schema of its own, like the V4 and V8 tests.
 */
@QuarkusTest
class ReadMarkersMigrationTest {
  private final MigrationSchema schema = new MigrationSchema("upgrade_v11_test");

  @AfterEach
  void dropSchema() throws SQLException {
    schema.drop();
  }

  @Test
  void existingRoomsAndMessagesStayAndMarkersStartEmpty() throws SQLException {
    schema.drop();
    // V8 is the last version before V11 on main (V9 and V10 come from other branches; this
    // migration neither needs nor touches them).
    schema.migrateTo("8");
    schema.execute(
        "INSERT INTO users (id, username, password, email) VALUES"
            + " (1, 'alice', 'x', 'a@example.com'), (2, 'bob', 'x', 'b@example.com')",
        "INSERT INTO rooms (id, name, created_by, created_at, last_seq, kind) VALUES"
            + " ('r1', 'First', 1, '2026-01-01T00:00:00Z', 2, 'public'),"
            + " ('p1', 'Secret', 2, '2026-01-02T00:00:00Z', 0, 'private'),"
            + " ('dm:1:2', 'dm:1:2', 1, '2026-01-03T00:00:00Z', 1, 'direct')",
        "INSERT INTO room_members (room_id, user_id, role) VALUES ('r1', 1, 'owner'),"
            + " ('p1', 2, 'owner'), ('p1', 1, 'member'), ('dm:1:2', 1, 'member'),"
            + " ('dm:1:2', 2, 'member')",
        "INSERT INTO direct_conversations (room_id, low_user_id, high_user_id)"
            + " VALUES ('dm:1:2', 1, 2)",
        "INSERT INTO messages (room_id, seq, user_id, content, sent_at) VALUES"
            + " ('r1', 1, 1, 'hello', now()), ('r1', 2, 2, 'hi', now()),"
            + " ('dm:1:2', 1, 2, 'psst', now())");
    schema.migrateTo("latest");
    assertEquals(
        List.of("dm:1:2 direct 1", "p1 private 0", "r1 public 2"),
        schema.rows("SELECT id || ' ' || kind || ' ' || last_seq FROM rooms ORDER BY id"));
    assertEquals(
        List.of("dm:1:2 1 psst", "r1 1 hello", "r1 2 hi"),
        schema.rows(
            "SELECT room_id || ' ' || seq || ' ' || content FROM messages"
                + " ORDER BY room_id, seq"));
    assertEquals(List.of("5"), schema.rows("SELECT count(*)::text FROM room_members"));
    assertEquals(List.of("0"), schema.rows("SELECT count(*)::text FROM room_reads"));

    assertEquals(
        "no error",
        schema.sqlState(
            "INSERT INTO room_reads (user_id, room_id, last_read_seq) VALUES (1, 'r1', 2),"
                + " (2, 'dm:1:2', 0)"));
    // One marker per user and room; never negative; only for users and rooms that exist.
    assertEquals(
        "23505",
        schema.sqlState(
            "INSERT INTO room_reads (user_id, room_id, last_read_seq) VALUES (1, 'r1', 1)"));
    assertEquals(
        "23514",
        schema.sqlState(
            "INSERT INTO room_reads (user_id, room_id, last_read_seq) VALUES (2, 'r1', -1)"));
    assertEquals(
        "23503",
        schema.sqlState(
            "INSERT INTO room_reads (user_id, room_id, last_read_seq) VALUES (9, 'r1', 0)"));
    assertEquals(
        "23503",
        schema.sqlState(
            "INSERT INTO room_reads (user_id, room_id, last_read_seq) VALUES (1, 'zz', 0)"));
    // A user's markers go with the user.
    schema.execute(
        "DELETE FROM room_members WHERE user_id = 2",
        "DELETE FROM direct_conversations",
        "DELETE FROM messages WHERE user_id = 2",
        "DELETE FROM rooms WHERE created_by = 2",
        "DELETE FROM users WHERE id = 2");
    assertEquals(
        List.of("1 r1 2"),
        schema.rows("SELECT user_id || ' ' || room_id || ' ' || last_read_seq FROM room_reads"));
  }
}
