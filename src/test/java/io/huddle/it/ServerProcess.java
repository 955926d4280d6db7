package io.huddle.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Huddle server as a real process: the packaged jar ({@code target/quarkus-app}), or the native
 * executable when the ITs run in the {@code native} profile, in the prod profile, against the
 * embedded PostgreSQL and keys of {@link ItEnvironment}. Used by the integration tests that need to
 * stop, kill or multiply the server.
 */
public final class ServerProcess implements AutoCloseable {
  private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

  private final String name;
  private final int port;
  private final int managementPort;
  private final Map<String, String> env;
  private final Path log;
  private Process process;

  private ServerProcess(String name, int[] ports, Map<String, String> env) {
    this.name = name;
    this.port = ports[0];
    this.managementPort = ports[1];
    this.env = env;
    this.log = Path.of("target/it-logs/" + name + ".log");
  }

  /** Starts a server and waits until it is ready. */
  public static ServerProcess start(String name, Map<String, String> extraEnv) throws Exception {
    // Its own HTTP and management ports: several servers (and the packaged server of
    // PackagedServerIT) run at once, so neither may be Quarkus' fixed default.
    ServerProcess server =
        new ServerProcess(name, ItEnvironment.freePorts(2), environment(extraEnv));
    server.launch();
    return server;
  }

  /** The shared database and keys, plus this server's own settings. */
  private static Map<String, String> environment(Map<String, String> extra) throws Exception {
    Path artifact = ItEnvironment.nativeBuild() ? ItEnvironment.nativeExecutable() : JAR;
    if (!Files.exists(artifact)) {
      throw new IllegalStateException(artifact + " is missing: run the ITs with ./mvnw verify");
    }
    Map<String, String> env = new HashMap<>(ItEnvironment.variables());
    env.putAll(extra);
    return env;
  }

  private void launch() throws Exception {
    Files.createDirectories(log.getParent());
    // The same heap bound for both: -Xmx is understood by the JVM and by the native executable.
    List<String> command =
        ItEnvironment.nativeBuild()
            ? List.of(ItEnvironment.nativeExecutable().toString(), "-Xmx256m")
            : List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                JAR.toString());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
    builder.environment().put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
    process = builder.start();
    awaitReady(Duration.ofSeconds(60));
  }

  /** Starts the server again (same port, database and settings) after a stop or kill. */
  public void restart() throws Exception {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " is still running");
    }
    launch();
  }

  public URI base() {
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  public int port() {
    return port;
  }

  /** The management interface (health, metrics): its own port, as in production. */
  public URI management() {
    return URI.create("http://127.0.0.1:" + managementPort + "/");
  }

  /** HTTP status of GET path (no body) on the HTTP port, or -1 when the server does not answer. */
  public int status(String path) {
    return status(base().resolve(path));
  }

  /** HTTP status of GET path on the management port, e.g. {@code /q/health/ready}; -1 if none. */
  public int managementStatus(String path) {
    return status(management().resolve(path));
  }

  private static int status(URI uri) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private void awaitReady(Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited at start; see " + log.toAbsolutePath());
      }
      if (managementStatus("/q/health/ready") == 200) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(name + " not ready in " + within + "; see " + log);
  }

  /** SIGTERM: the graceful shutdown path. */
  public void terminate() {
    process.destroy();
  }

  /** SIGKILL: the node dies without saying goodbye. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Waits for the process to end; answers whether it did within the time. */
  public boolean awaitExit(Duration within) throws InterruptedException {
    return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(40, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
