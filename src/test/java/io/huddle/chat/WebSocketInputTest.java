package io.huddle.chat;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huddle.support.Api;
import io.huddle.support.Api.TestUser;
import io.huddle.support.LogCapture;
import io.huddle.support.RawWebSocket;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What only a hand-written client sends: invalid UTF-8 in a text frame, a malformed token carrier
 * in the subprotocol list, a connection dropped without a close frame.
 */
@QuarkusTest
class WebSocketInputTest {
  @TestHTTPResource("/")
  URI base;

  private static String path(String room) {
    return "/api/v1/ws/joinRoom/" + room;
  }

  /** An open socket that has received its history frame and its own join notice. */
  private RawWebSocket join(TestUser user, String room) throws Exception {
    RawWebSocket socket =
        RawWebSocket.connect(base, path(room), "Authorization: Bearer " + user.token());
    assertEquals(101, socket.status(), socket.responseHeaders().toString());
    socket.nextTextContaining("\"type\":\"history\"");
    socket.nextTextContaining("\"type\":\"join\"");
    return socket;
  }

  private static void assertNoMessagesIn(TestUser user, String room) {
    given()
        .auth()
        .oauth2(user.token())
        .get("/api/v1/rooms/" + room + "/messages")
        .then()
        .statusCode(200)
        .body("messages", hasSize(0));
  }

  @Test
  void aMalformedTokenCarrierIs400WithoutAStackTrace() throws Exception {
    TestUser alice = Api.newUser();
    String room = Api.newRoom(alice);
    String bearer =
        URLEncoder.encode(
                "quarkus-http-upgrade#Authorization#Bearer " + alice.token(),
                StandardCharsets.UTF_8)
            .replace("+", "%20");
    List<String> offers =
        List.of(
            "huddle, quarkus-http-upgrade#Authorization",
            "huddle, quarkus-http-upgrade#",
            "huddle, quarkus-http-upgrade#%zz#x",
            "huddle, quarkus-http-upgrade##Bearer%20x",
            "huddle, quarkus-http-upgrade#Authorization#",
            "huddle, quarkus-http-upgrade#Authorization#a#b",
            // Only the carrier, no protocol for the server to select.
            bearer,
            // Only Authorization is carried: no cookies or forwarding headers from a page.
            "huddle, quarkus-http-upgrade#Cookie#access_token%3D" + alice.token());
    try (LogCapture log = LogCapture.start()) {
      for (String offer : offers) {
        try (RawWebSocket socket =
            RawWebSocket.connect(base, path(room), "Sec-WebSocket-Protocol: " + offer)) {
          assertEquals(400, socket.status(), offer + " -> " + socket.responseHeaders());
          assertTrue(socket.body().startsWith("{\"error\":\""), offer);
        }
      }
      log.assertQuiet(0);
    }
    // The well-formed carrier still opens the socket.
    try (RawWebSocket socket =
        RawWebSocket.connect(base, path(room), "Sec-WebSocket-Protocol: huddle, " + bearer)) {
      assertEquals(101, socket.status(), socket.responseHeaders().toString());
      assertTrue(
          socket.responseHeaders().stream()
              .anyMatch(h -> h.equalsIgnoreCase("sec-websocket-protocol: huddle")),
          socket.responseHeaders().toString());
    }
  }
}
