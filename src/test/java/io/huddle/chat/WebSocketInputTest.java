package io.huddle.chat;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
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
  void invalidUtf8InATextFrameClosesWith1007AndStoresNothing() throws Exception {
    TestUser alice = Api.newUser();
    String room = Api.newRoom(alice);
    List<byte[]> invalid =
        List.of(
            new byte[] {'b', 'a', 'd', ' ', (byte) 0xff, (byte) 0xfe},
            // A JSON frame whose content holds an overlong encoding and a truncated sequence.
            "{\"type\":\"message\",\"content\":\"\u00c0\u00af x \u00e2\u0082\"}"
                .getBytes(StandardCharsets.ISO_8859_1),
            // An encoded surrogate (CESU-8), which UTF-8 forbids.
            new byte[] {'a', (byte) 0xed, (byte) 0xa0, (byte) 0x80});
    try (LogCapture log = LogCapture.start()) {
      for (byte[] payload : invalid) {
        // A new user each time: a user's join notice comes only with its first connection.
        try (RawWebSocket socket = join(Api.newUser(), room)) {
          socket.send(RawWebSocket.TEXT, true, payload);
          RawWebSocket.Frame close = socket.awaitClose();
          assertNotNull(close, "the connection ended without a close frame");
          assertEquals(1007, close.closeCode());
          // And nothing after it (no second close frame): the connection just ends.
          assertNull(socket.next());
        }
      }
      log.assertQuiet(invalid.size());
    }
    // Before: stored with U+FFFD in place of the bad bytes.
    assertNoMessagesIn(alice, room);
  }

  @Test
  void validUtf8SplitAcrossFragmentsIsStored() throws Exception {
    TestUser alice = Api.newUser();
    String room = Api.newRoom(alice);
    try (RawWebSocket socket = join(alice, room)) {
      byte[] word = "caf\u00e9 \uD83D\uDE00".getBytes(StandardCharsets.UTF_8);
      // Cut inside the two-byte é and inside the four-byte emoji.
      socket.send(RawWebSocket.TEXT, false, java.util.Arrays.copyOfRange(word, 0, 4));
      socket.send(RawWebSocket.CONTINUATION, false, java.util.Arrays.copyOfRange(word, 4, 8));
      socket.send(RawWebSocket.CONTINUATION, true, java.util.Arrays.copyOfRange(word, 8, 10));
      String frame = socket.nextTextContaining("\"type\":\"message\"").text();
      assertTrue(frame.contains("\"content\":\"caf\u00e9 \uD83D\uDE00\""), frame);
    }
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

  @Test
  void clientsThatDropTheConnectionLeaveQuietly() throws Exception {
    TestUser alice = Api.newUser();
    String room = Api.newRoom(alice);
    try (LogCapture log = LogCapture.start()) {
      // A new user each time: a user's join notice comes only with its first connection.
      for (int i = 0; i < 3; i++) {
        join(Api.newUser(), room).reset();
      }
      for (int i = 0; i < 3; i++) {
        RawWebSocket socket = join(Api.newUser(), room);
        socket.send(RawWebSocket.TEXT, true, new byte[0]);
        socket.close(); // FIN without a close frame
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  given()
                      .auth()
                      .oauth2(alice.token())
                      .get("/api/v1/ws/get/" + room)
                      .then()
                      .body("$", hasSize(0)));
      // Before: a WARN per connection, with an 18-line stack trace for a reset.
      log.assertQuiet(0);
    }
    given()
        .auth()
        .oauth2(alice.token())
        .get("/api/v1/ws/get/" + room)
        .then()
        .statusCode(200)
        .body("size()", equalTo(0));
  }
}
