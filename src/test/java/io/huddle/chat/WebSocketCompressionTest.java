package io.huddle.chat;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huddle.support.Api;
import io.huddle.support.Api.TestUser;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A client that offers permessage-deflate gets an uncompressed socket: no compressed frame, so no
 * decompression bomb. A raw handshake, so that the offer and the answer are exactly what is sent.
 */
@QuarkusTest
class WebSocketCompressionTest {
  @TestHTTPResource("/")
  URI base;

  /** The response's status line and headers, lower-cased. */
  private List<String> handshake(TestUser user, String room, String extensions) throws Exception {
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /api/v1/ws/joinRoom/"
                  + room
                  + " HTTP/1.1\r\n"
                  + "Host: "
                  + base.getHost()
                  + ":"
                  + base.getPort()
                  + "\r\n"
                  + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                  + "Sec-WebSocket-Extensions: "
                  + extensions
                  + "\r\n"
                  + "Authorization: Bearer "
                  + user.token()
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      List<String> lines = new ArrayList<>();
      for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
        lines.add(line.toLowerCase());
      }
      return lines;
    }
  }

  @Test
  void compressionOffersAreDeclined() throws Exception {
    TestUser alice = Api.newUser();
    String room = Api.newRoom(alice);
    for (String offer :
        List.of(
            "permessage-deflate; client_max_window_bits",
            "permessage-deflate",
            "x-webkit-deflate-frame, deflate-frame")) {
      List<String> response = handshake(alice, room, offer);
      assertTrue(response.get(0).startsWith("http/1.1 101"), response.toString());
      assertFalse(
          response.stream().anyMatch(h -> h.startsWith("sec-websocket-extensions")),
          "offered " + offer + ", answered " + response);
    }
  }
}
