package io.huddle.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Half-open requests (slowloris) neither stay open for long nor take the node's last file
 * descriptor: an idle connection is closed after {@code quarkus.http.idle-timeout}, and the node
 * accepts at most {@code quarkus.http.limits.max-connections}.
 */
@QuarkusTest
@TestProfile(ConnectionLimitsTest.SmallLimits.class)
class ConnectionLimitsTest {

  public static class SmallLimits implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarkus.http.idle-timeout", "2S",
          "quarkus.http.limits.max-connections", "20");
    }
  }

  @TestHTTPResource("/")
  URI base;

  private Socket partialRequest() throws IOException {
    Socket socket = new Socket(base.getHost(), base.getPort());
    socket
        .getOutputStream()
        .write("GET /api/v1/ws/getRooms HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
    return socket;
  }

  /** Reads until the server closes the connection; fails if it stays open past the limit. */
  private static long millisUntilClosed(Socket socket, long limitMillis) throws IOException {
    long start = System.nanoTime();
    socket.setSoTimeout((int) limitMillis);
    InputStream in = socket.getInputStream();
    try {
      while (in.read() >= 0) {
        // whatever the server answers before it closes
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the connection was still open after " + limitMillis + " ms");
    } catch (IOException reset) {
      // closed with a reset: closed all the same
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  @Test
  void anUnfinishedRequestIsClosedAfterTheIdleTimeout() throws IOException {
    try (Socket socket = partialRequest()) {
      long closedAfter = millisUntilClosed(socket, 6000);
      assertTrue(closedAfter >= 1500, "closed after " + closedAfter + " ms");
    }
  }

  @Test
  void theNodeRefusesConnectionsBeyondItsCapAndRecovers() throws IOException {
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        held.add(partialRequest());
      }
      // One more is accepted by the kernel and closed by the server at once.
      try (Socket extra = partialRequest()) {
        assertTrue(millisUntilClosed(extra, 1500) < 1500);
      }
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
    // The slots come back once the held connections are gone.
    long deadline = System.currentTimeMillis() + 5000;
    int status = -1;
    while (System.currentTimeMillis() < deadline) {
      try {
        status = given().get("/api/v1/user/me").statusCode();
        if (status == 401) {
          break;
        }
      } catch (RuntimeException notYet) {
        // refused while the server still counts the closed ones
      }
    }
    assertEquals(401, status, "the server answers again (401: no token)");
  }
}
