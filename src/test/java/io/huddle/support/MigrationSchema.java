package io.huddle.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.Flyway;

/**
 * A schema of its own in the test database for an upgrade test: run the real migrations up to a
 * version, fill the tables with plain SQL, migrate on, then look at the rows and at which
 * statements the new constraints refuse. Each test class names its own schema, so the classes run
 * in any order and never touch the application's.
 *
 * <p>Connections of its own, not the application's pool: Flyway and these methods set search_path,
 * which must not stick to a pooled connection that later serves the application. Every call opens a
 * connection and closes it; search_path is the only session state the tests rely on.
 */
public final class MigrationSchema {
  private final String name;

  public MigrationSchema(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  /** Applies the migrations up to {@code target} ("4", or "latest"); a failing one throws. */
  public void migrateTo(String target) {
    Flyway.configure()
        .dataSource(url(), username(), password())
        .schemas(name)
        .locations("classpath:db/migration")
        .target(target)
        .cleanDisabled(false)
        .load()
        .migrate();
  }

  /** Runs the statements in order in this schema; the first that fails throws. */
  public void execute(String... sql) throws SQLException {
    try (Connection c = connect();
        Statement s = inSchema(c)) {
      for (String statement : sql) {
        s.execute(statement);
      }
    }
  }

  /** The first column of every row of a query, as text. */
  public List<String> rows(String sql) throws SQLException {
    try (Connection c = connect();
        Statement s = inSchema(c);
        ResultSet r = s.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (r.next()) {
        out.add(r.getString(1));
      }
      return out;
    }
  }

  /**
   * The SQLState with which PostgreSQL refuses a statement, or "no error" when it succeeds. Only
   * the statement's own error is caught: a connection that fails still throws.
   */
  public String sqlState(String sql) throws SQLException {
    try (Connection c = connect();
        Statement s = inSchema(c)) {
      try {
        s.executeUpdate(sql);
        return "no error";
      } catch (SQLException e) {
        return e.getSQLState();
      }
    }
  }

  /** Drops the schema and everything in it, if it exists. */
  public void drop() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
    }
  }

  private Statement inSchema(Connection c) throws SQLException {
    Statement s = c.createStatement();
    try {
      s.execute("SET search_path TO " + name);
    } catch (SQLException e) {
      s.close();
      throw e;
    }
    return s;
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(url(), username(), password());
  }

  // Read when used, not when a test class builds its instance: by then the test's Quarkus
  // application (and the embedded database's URL) is up.
  private static Config config() {
    return ConfigProvider.getConfig();
  }

  private static String url() {
    return config().getValue("quarkus.datasource.jdbc.url", String.class);
  }

  private static String username() {
    return config().getOptionalValue("quarkus.datasource.username", String.class).orElse(null);
  }

  private static String password() {
    return config().getOptionalValue("quarkus.datasource.password", String.class).orElse(null);
  }
}
