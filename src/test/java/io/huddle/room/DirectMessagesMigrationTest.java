package io.huddle.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huddle.support.MigrationSchema;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.SQLException;
import java.util.List;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * V8 upgrades a database that already holds users, rooms, members and messages: nothing of them
 * changes, and the new constraints hold. A hand-made room with a reserved {@code dm:} id stops the
 * migration with its name. Runs the real migrations in a schema of its own, as {@link
 * RoomMembershipMigrationTest} does.
 */
@QuarkusTest
class DirectMessagesMigrationTest {
  private final MigrationSchema schema = new MigrationSchema("upgrade_v8_test");

  @AfterEach
  void dropSchema() throws SQLException {
    schema.drop();
  }

  /** Migrates to V4 (the last version before V8 on main) and fills the schema. */
  private void beforeV8(String... extraSql) throws SQLException {
    schema.drop();
    schema.migrateTo("4");
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
    schema.execute(extraSql);
  }

  @Test
  void existingRoomsStayAsTheyWereAndTheNewConstraintsHold() throws SQLException {
    beforeV8();
    schema.migrateTo("latest");
    assertEquals(
        List.of("p1 private 0", "r1 public 2"),
        schema.rows("SELECT id || ' ' || kind || ' ' || last_seq FROM rooms ORDER BY id"));
    assertEquals(
        List.of("p1 1 member", "p1 2 owner", "r1 1 owner"),
        schema.rows(
            "SELECT room_id || ' ' || user_id || ' ' || role FROM room_members"
                + " ORDER BY room_id, user_id"));
    assertEquals(
        List.of("1 hello", "2 hi"),
        schema.rows(
            "SELECT seq || ' ' || content FROM messages WHERE room_id = 'r1' ORDER BY seq"));
    assertEquals(List.of("0"), schema.rows("SELECT count(*)::text FROM direct_conversations"));

    // A direct room needs a dm: id, and a dm: id a direct room.
    assertEquals("23514", schema.sqlState("UPDATE rooms SET kind = 'direct' WHERE id = 'p1'"));
    assertEquals(
        "23514",
        schema.sqlState(
            "INSERT INTO rooms (id, name, created_by, kind) VALUES ('dm:1:2', 'x', 1,"
                + " 'public')"));
    assertEquals("23514", schema.sqlState("UPDATE rooms SET kind = 'secret' WHERE id = 'r1'"));
    assertEquals(
        "no error",
        schema.sqlState(
            "INSERT INTO rooms (id, name, created_by, kind) VALUES ('dm:1:2', 'x', 1,"
                + " 'direct')"));
    assertEquals(
        "no error",
        schema.sqlState(
            "INSERT INTO direct_conversations (room_id, low_user_id, high_user_id)"
                + " VALUES ('dm:1:2', 1, 2)"));
    // One conversation per pair, its lower id first.
    schema.sqlState(
        "INSERT INTO rooms (id, name, created_by, kind) VALUES ('dm:1:2:again', 'x', 1,"
            + " 'direct')");
    assertEquals(
        "23505",
        schema.sqlState(
            "INSERT INTO direct_conversations (room_id, low_user_id, high_user_id)"
                + " VALUES ('dm:1:2:again', 1, 2)"));
    assertEquals(
        "23514",
        schema.sqlState(
            "INSERT INTO direct_conversations (room_id, low_user_id, high_user_id)"
                + " VALUES ('dm:1:2:again', 2, 1)"));
  }

  @Test
  void aHandMadeRoomWithAReservedIdStopsTheMigrationByName() throws SQLException {
    beforeV8(
        "INSERT INTO rooms (id, name, created_by) VALUES ('dm:7:9', 'By hand', 1)",
        "INSERT INTO room_members (room_id, user_id, role) VALUES ('dm:7:9', 1, 'owner')");
    FlywayException failure = assertThrows(FlywayException.class, () -> schema.migrateTo("latest"));
    assertTrue(
        failure.getMessage().contains("reserved for direct messages (dm:...) exist: dm:7:9"),
        failure.getMessage());
    // Nothing of V8 was applied (PostgreSQL runs a migration in one transaction).
    assertEquals(
        List.of("dm:7:9 public"),
        schema.rows("SELECT id || ' ' || kind FROM rooms WHERE id LIKE 'dm:%'"));
    assertEquals(
        List.of("0"),
        schema.rows(
            "SELECT count(*)::text FROM information_schema.tables WHERE table_schema = '"
                + schema.name()
                + "' AND table_name = 'direct_conversations'"));
  }
}
