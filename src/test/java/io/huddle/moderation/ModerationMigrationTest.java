package io.huddle.moderation;

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
 * V10 upgrades a database that already holds users, rooms, members and messages: they stay as they
 * were, no room is archived, and an archived room refuses new messages in PostgreSQL itself (the
 * way MessageWriter stores them: by advancing {@code last_seq}) while others take them. Runs the
 * real migrations in a schema of its own, like DirectMessagesMigrationTest.
 */
@QuarkusTest
class ModerationMigrationTest {
  private static final String SCHEMA = "upgrade_v10_test";

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
  void existingRoomsAndMessagesStayAndAnArchivedRoomRefusesNewMessages() throws SQLException {
    dropSchema();
    flyway("8").migrate();
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("SET search_path TO " + SCHEMA);
      s.execute(
          "INSERT INTO users (id, username, password, email) VALUES"
              + " (1, 'alice', 'x', 'a@example.com'), (2, 'bob', 'x', 'b@example.com')");
      s.execute(
          "INSERT INTO rooms (id, name, created_by, created_at, last_seq, kind) VALUES"
              + " ('r1', 'First', 1, '2026-01-01T00:00:00Z', 2, 'public'),"
              + " ('p1', 'Secret', 2, '2026-01-02T00:00:00Z', 0, 'private')");
      s.execute(
          "INSERT INTO room_members (room_id, user_id, role) VALUES"
              + " ('r1', 1, 'owner'), ('p1', 2, 'owner'), ('p1', 1, 'member')");
      s.execute(
          "INSERT INTO messages (room_id, seq, user_id, content, sent_at) VALUES"
              + " ('r1', 1, 1, 'hello', now()), ('r1', 2, 2, 'hi', now())");
    }
    flyway("latest").migrate();
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("SET search_path TO " + SCHEMA);
      assertEquals(
          List.of("p1 private 0 false", "r1 public 2 false"),
          rows(
              s,
              "SELECT id || ' ' || kind || ' ' || last_seq || ' ' || (archived_at IS NOT NULL)"
                  + " FROM rooms ORDER BY id"));
      assertEquals(
          List.of("1 hello", "2 hi"),
          rows(s, "SELECT seq || ' ' || content FROM messages WHERE room_id = 'r1' ORDER BY seq"));
      assertEquals(List.of("3"), rows(s, "SELECT count(*)::text FROM room_members"));

      assertEquals("no error", sqlState(s, "UPDATE rooms SET last_seq = 3 WHERE id = 'r1'"));
      assertEquals("no error", sqlState(s, "UPDATE rooms SET archived_at = now() WHERE id = 'r1'"));
      assertEquals("P0001", sqlState(s, "UPDATE rooms SET last_seq = 4 WHERE id = 'r1'"));
      assertEquals("no error", sqlState(s, "UPDATE rooms SET name = 'Old' WHERE id = 'r1'"));
      assertEquals("no error", sqlState(s, "UPDATE rooms SET last_seq = 1 WHERE id = 'p1'"));

      // Bans and mutes go with their room; the audit log stays.
      s.execute(
          "INSERT INTO room_bans (room_id, user_id, banned_by, created_at) VALUES"
              + " ('p1', 1, 2, now())");
      s.execute(
          "INSERT INTO room_mutes (room_id, user_id, muted_by, until, created_at) VALUES"
              + " ('p1', 1, 2, now() + interval '1 hour', now())");
      s.execute(
          "INSERT INTO moderation_log (room_id, action, actor_id, actor_name, created_at)"
              + " VALUES ('p1', 'delete', 2, 'bob', now())");
      assertEquals(
          "23514",
          sqlState(
              s,
              "INSERT INTO moderation_log (room_id, action, actor_id, actor_name, created_at)"
                  + " VALUES ('p1', 'smite', 2, 'bob', now())"));
      s.execute("DELETE FROM rooms WHERE id = 'p1'");
      assertEquals(
          List.of("0 0 1"),
          rows(
              s,
              "SELECT (SELECT count(*) FROM room_bans) || ' ' || (SELECT count(*) FROM room_mutes)"
                  + " || ' ' || (SELECT count(*) FROM moderation_log)"));
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
