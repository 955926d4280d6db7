package io.huddle.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A private redis-server for one test class, on a free port, that the test may kill and restart.
 */
final class RedisProcess implements AutoCloseable {
  private final int port;
  private Process process;

  private RedisProcess(int port) {
    this.port = port;
  }

  static RedisProcess start() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    RedisProcess redis = new RedisProcess(port);
    redis.launch();
    return redis;
  }

  String url() {
    return "redis://127.0.0.1:" + port;
  }

  void launch() throws Exception {
    Path log = Path.of("target/it-logs/redis-" + port + ".log");
    Files.createDirectories(log.getParent());
    try {
      process =
          new ProcessBuilder(
                  "redis-server",
                  "--port",
                  String.valueOf(port),
                  "--bind",
                  "127.0.0.1",
                  "--save",
                  "",
                  "--appendonly",
                  "no")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "redis-server is needed for the cluster tests (.ci/run installs it)", e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("redis-server did not start; see " + log);
  }

  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      kill();
    }
  }
}
