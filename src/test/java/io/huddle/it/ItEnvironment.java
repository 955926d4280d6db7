package io.huddle.it;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a packaged Huddle needs to run in the prod profile, made once per test JVM: an embedded
 * PostgreSQL and a freshly generated RS256 key pair. Shared by every integration test, whether it
 * starts the server itself ({@link ServerProcess}) or lets {@code @QuarkusIntegrationTest} do it
 * ({@link PackagedServerResource}).
 */
final class ItEnvironment {
  private static Map<String, String> env;

  private ItEnvironment() {}

  /** The settings, by property name (quarkus.datasource.jdbc.url, ...). */
  static synchronized Map<String, String> properties() throws Exception {
    if (env == null) {
      EmbeddedPostgres database = EmbeddedPostgres.builder().start();
      Path keys = Files.createTempDirectory("huddle-it-keys");
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair pair = generator.generateKeyPair();
      Files.writeString(
          keys.resolve("private.pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
      Files.writeString(
          keys.resolve("public.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
      Map<String, String> made = new LinkedHashMap<>();
      made.put("quarkus.datasource.jdbc.url", database.getJdbcUrl("postgres", "postgres"));
      made.put("quarkus.datasource.username", "postgres");
      made.put("quarkus.datasource.password", "postgres");
      made.put("smallrye.jwt.sign.key.location", keys.resolve("private.pem").toString());
      made.put("mp.jwt.verify.publickey.location", keys.resolve("public.pem").toString());
      made.put("huddle.token.cookie-secure", "false");
      // ClusterIT and ShutdownIT send as fast as they can to test ordering and draining, not the
      // per-sender limits (RateLimitTest does that).
      made.put("huddle.limits.messages-per-connection", "off");
      made.put("huddle.limits.messages-per-user", "off");
      env = Map.copyOf(made);
    }
    return env;
  }

  /** The same settings as environment variables (QUARKUS_DATASOURCE_JDBC_URL, ...). */
  static Map<String, String> variables() throws Exception {
    Map<String, String> variables = new LinkedHashMap<>();
    properties()
        .forEach(
            (name, value) ->
                variables.put(name.toUpperCase(Locale.ROOT).replaceAll("[.-]", "_"), value));
    return variables;
  }

  /**
   * Whether the integration tests run against the native executable (the {@code native} Maven
   * profile sets {@code huddle.it.native=true} for Failsafe) rather than the JVM jar.
   */
  static boolean nativeBuild() {
    return Boolean.getBoolean("huddle.it.native");
  }

  /** The native executable Failsafe was told about (the Quarkus convention's property). */
  static Path nativeExecutable() {
    return Path.of(System.getProperty("native.image.path", "target/huddle-1.0.0-SNAPSHOT-runner"));
  }

  /**
   * Distinct free ports, all found while every one of them is still held (so no two are the same).
   */
  static int[] freePorts(int count) throws IOException {
    ServerSocket[] sockets = new ServerSocket[count];
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        sockets[i] = new ServerSocket(0);
        ports[i] = sockets[i].getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket socket : sockets) {
        if (socket != null) {
          socket.close();
        }
      }
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
