package io.huddle.room;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.huddle.support.MigrationSchema;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * V12 upgrades a database that already holds users, rooms, members, messages and read markers: none
 * of them changes, there are no links yet, and the new table's keys and checks hold. Runs the real
 * migrations in a schema of its own, like the V4, V8 and V11 tests.
 */
@QuarkusTest
class InvitationsMigrationTest {
  private final MigrationSchema schema = new MigrationSchema("upgrade_v12_test");

  @AfterEach
  void dropSchema() throws SQLException {
    schema.drop();
  }

  @Test
  void existingRoomsMembersAndMarkersStayAndLinksStartEmpty() throws SQLException {
    schema.drop();
    // V11 is the version before V12 on this branch (V9 and V10 come from other branches; this
    // migration neither needs nor touches them).
    schema.migrateTo("11");
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
            + " ('dm:1:2', 1, 2, 'psst', now())",
        "INSERT INTO room_reads (user_id, room_id, last_read_seq) VALUES (1, 'r1', 2)");
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
    assertEquals(
        List.of("1 r1 2"),
        schema.rows("SELECT user_id || ' ' || room_id || ' ' || last_read_seq FROM room_reads"));
    assertEquals(List.of("0"), schema.rows("SELECT count(*)::text FROM room_invitations"));

    String hash = "sha256('a'::bytea)";
    assertEquals(
        "no error",
        schema.sqlState(
            "INSERT INTO room_invitations (room_id, code_hash, created_by, expires_at, max_uses)"
                + " VALUES ('p1', "
                + hash
                + ", 2, now() + interval '1 hour', 2)"));
    // Two links never share a code; a hash is 32 bytes; uses stay within 0..max_uses; a link
    // expires after it was made.
    assertEquals(
        "23505",
        schema.sqlState(
            "INSERT INTO room_invitations (room_id, code_hash, created_by, expires_at)"
                + " VALUES ('p1', "
                + hash
                + ", 2, now() + interval '1 hour')"));
    assertEquals(
        "23514",
        schema.sqlState(
            "INSERT INTO room_invitations (room_id, code_hash, created_by, expires_at)"
                + " VALUES ('p1', 'short'::bytea, 2, now() + interval '1 hour')"));
    assertEquals(
        "23514", schema.sqlState("UPDATE room_invitations SET uses = 3 WHERE room_id = 'p1'"));
    assertEquals(
        "23514",
        schema.sqlState(
            "INSERT INTO room_invitations (room_id, code_hash, created_by, expires_at, max_uses)"
                + " VALUES ('p1', sha256('b'::bytea), 2, now() + interval '1 hour', 0)"));
    assertEquals(
        "23514",
        schema.sqlState(
            "INSERT INTO room_invitations (room_id, code_hash, created_by, expires_at)"
                + " VALUES ('p1', sha256('c'::bytea), 2, now() - interval '1 second')"));
    // A room's links go with the room.
    schema.execute(
        "DELETE FROM room_members WHERE room_id = 'p1'", "DELETE FROM rooms WHERE id = 'p1'");
    assertEquals(List.of("0"), schema.rows("SELECT count(*)::text FROM room_invitations"));
  }
}
