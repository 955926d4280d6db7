package io.huddle.message;

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
 * V9 upgrades a database that already holds rooms and messages: every existing row becomes a
 * message with its text, seq and clientId as they were, and the new constraints hold. Runs the real
 * migrations in a schema of its own, as the other migration tests do.
 */
@QuarkusTest
class MessageEditsMigrationTest {
  private static final String SCHEMA = "upgrade_v9_test";

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
  void existingMessagesBecomeMessageRowsAndTheNewConstraintsHold() throws SQLException {
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
              + " ('r1', 'First', 1, '2026-01-01T00:00:00Z', 2, 'public')");
      s.execute(
          "INSERT INTO messages (room_id, seq, user_id, content, client_id, sent_at) VALUES"
              + " ('r1', 1, 1, 'hello', 'c1', now()), ('r1', 2, 2, 'hi', NULL, now())");
    }
    flyway("latest").migrate();
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("SET search_path TO " + SCHEMA);
      assertEquals(
          List.of("1 message hello c1 - - -", "2 message hi - - - -"),
          rows(
              s,
              "SELECT seq || ' ' || kind || ' ' || content || ' ' || coalesce(client_id, '-')"
                  + " || ' ' || coalesce(target_seq::text, '-')"
                  + " || ' ' || coalesce(edited_at::text, '-')"
                  + " || ' ' || coalesce(deleted_at::text, '-') FROM messages ORDER BY seq"));
      assertEquals(List.of("2"), rows(s, "SELECT last_seq::text FROM rooms"));

      String insert =
          "INSERT INTO messages (room_id, seq, user_id, content, sent_at, kind, target_seq)"
              + " VALUES ('r1', 3, 1, ";
      // An event names its message; a message names none; kinds are the three.
      assertEquals("23514", sqlState(s, insert + "'x', now(), 'edit', NULL)"));
      assertEquals("23514", sqlState(s, insert + "'x', now(), 'message', 1)"));
      assertEquals("23514", sqlState(s, insert + "'x', now(), 'undo', 1)"));
      // A delete event never carries text; a message without text is a deleted one.
      assertEquals("23514", sqlState(s, insert + "'x', now(), 'delete', 1)"));
      assertEquals("23514", sqlState(s, "UPDATE messages SET content = NULL WHERE seq = 1"));
      assertEquals(
          "no error",
          sqlState(s, "UPDATE messages SET content = NULL, deleted_at = now() WHERE seq = 1"));
      assertEquals("no error", sqlState(s, insert + "NULL, now(), 'delete', 1)"));
      // Only messages are marked edited or deleted.
      assertEquals(
          "23514", sqlState(s, "UPDATE messages SET edited_at = now() WHERE kind = 'delete'"));
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
