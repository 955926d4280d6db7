package io.huddle.room;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * V4 upgrades a database that already holds users, rooms and messages: every room stays public, its
 * creator becomes its owner, and nothing else changes. Runs the real migrations in a schema of its
 * own in the test database, stopping before V4, fills it with plain SQL, then migrates on.
 */
@QuarkusTest
class RoomMembershipMigrationTest {
  private static final String SCHEMA = "upgrade_v4_test";

  // Connections of their own, not the application's pool: Flyway and this test set search_path,
  // which must not stick to a pooled connection that later serves the application.
  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String url;

  @ConfigProperty(name = "quarkus.datasource.username")
  Optional<String> username;

  @ConfigProperty(name = "quarkus.datasource.password")
  Optional<String> password;

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(url, username.orElse(null), password.orElse(null));
  }

  private Flyway flyway(String target) {
    return Flyway.configure()
        .dataSource(url, username.orElse(null), password.orElse(null))
        .schemas(SCHEMA)
        .locations("classpath:db/migration")
        .target(target)
        .cleanDisabled(false)
        .load();
  }

  @AfterEach
  void dropSchema() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }
  }

  @Test
  void existingRoomsBecomePublicWithTheirCreatorAsOwner() throws SQLException {
    dropSchema();
    // V2 is the last version before V4 on every branch (a parallel branch adds V3).
    flyway("2").migrate();
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("SET search_path TO " + SCHEMA);
      s.execute(
          "INSERT INTO users (id, username, password, email) VALUES"
              + " (1, 'alice', 'x', 'a@example.com'), (2, 'bob', 'x', 'b@example.com')");
      s.execute(
          "INSERT INTO rooms (id, name, created_by, created_at, last_seq) VALUES"
              + " ('r1', 'First', 1, '2026-01-01T00:00:00Z', 2),"
              + " ('r2', 'Second', 2, '2026-01-02T00:00:00Z', 0)");
      s.execute(
          "INSERT INTO messages (room_id, seq, user_id, content, sent_at) VALUES"
              + " ('r1', 1, 1, 'hello', now()), ('r1', 2, 2, 'hi', now())");
    }

    flyway("latest").migrate();

    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("SET search_path TO " + SCHEMA);
      assertEquals(
          List.of("r1 public 2", "r2 public 0"),
          rows(s, "SELECT id || ' ' || kind || ' ' || last_seq FROM rooms ORDER BY id"));
      assertEquals(
          List.of("r1 1 owner 2026-01-01 00:00:00+00", "r2 2 owner 2026-01-02 00:00:00+00"),
          rows(
              s,
              "SELECT room_id || ' ' || user_id || ' ' || role || ' '"
                  + " || to_char(joined_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00'"
                  + " FROM room_members ORDER BY room_id"));
      assertEquals(
          List.of("1 hello", "2 hi"),
          rows(s, "SELECT seq || ' ' || content FROM messages WHERE room_id = 'r1' ORDER BY seq"));
      // The new constraints hold on the upgraded schema.
      assertEquals(
          "23514", sqlState(s, "UPDATE rooms SET kind = 'secret' WHERE id = 'r1'"), "kind check");
      assertEquals(
          "23505",
          sqlState(
              s, "INSERT INTO room_members (room_id, user_id, role) VALUES ('r1', 2, 'owner')"),
          "one owner per room");
    }
  }

  private static List<String> rows(Statement s, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        out.add(r.getString(1));
      }
    }
    return out;
  }

  private static String sqlState(Statement s, String sql) {
    try {
      s.executeUpdate(sql);
      return "no error";
    } catch (SQLException e) {
      return e.getSQLState();
    }
  }
}
