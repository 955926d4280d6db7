package io.huddle.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * A WebSocket client written on a plain socket, for what a well-behaved client library refuses to
 * send: invalid UTF-8 in a text frame, malformed handshake headers, a connection dropped without a
 * close frame.
 */
public final class RawWebSocket implements AutoCloseable {
  public static final int TEXT = 0x1;
  public static final int CONTINUATION = 0x0;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;
  public static final int PONG = 0xA;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final List<String> response;

  /** A frame the server sent: its opcode and payload. */
  public record Frame(int opcode, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The status code of a close frame, or -1. */
    public int closeCode() {
      return opcode == CLOSE && payload.length >= 2
          ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff)
          : -1;
    }
  }

  private RawWebSocket(Socket socket, List<String> response) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
    this.response = response;
  }

  /**
   * Sends the upgrade request for {@code path} with the extra header lines (each "Name: value") and
   * reads the response's status line and headers.
   */
  public static RawWebSocket connect(URI base, String path, String... headers) throws IOException {
    Socket socket = new Socket(base.getHost(), base.getPort());
    socket.setSoTimeout(10_000);
    StringBuilder request =
        new StringBuilder("GET ")
            .append(path)
            .append(" HTTP/1.1\r\nHost: ")
            .append(base.getHost())
            .append(':')
            .append(base.getPort())
            .append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
            .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
    for (String header : headers) {
      request.append(header).append("\r\n");
    }
    request.append("\r\n");
    socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    List<String> response = new ArrayList<>();
    InputStream in = socket.getInputStream();
    for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
      response.add(line);
    }
    return new RawWebSocket(socket, response);
  }

  /** One CRLF-terminated line, read byte by byte so that no frame bytes are consumed. */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != -1; b = in.read()) {
      if (b == '\n') {
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  /** The HTTP status of the handshake response. */
  public int status() {
    String[] parts = response.isEmpty() ? new String[0] : response.get(0).split(" ");
    return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
  }

  public List<String> responseHeaders() {
    return response;
  }

  /** Reads the handshake response's body (for a refused upgrade with Content-Length). */
  public String body() throws IOException {
    int length =
        response.stream()
            .filter(h -> h.toLowerCase().startsWith("content-length:"))
            .map(h -> Integer.parseInt(h.substring(h.indexOf(':') + 1).trim()))
            .findFirst()
            .orElse(0);
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  /** Sends one masked frame, as a client must. */
  public void send(int opcode, boolean fin, byte[] payload) throws IOException {
    out.write(frame(opcode, fin, payload));
    out.flush();
  }

  /** Sends the same final frame {@code times} times in one write, as a flood arrives. */
  public void sendRepeated(int opcode, byte[] payload, int times) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (int i = 0; i < times; i++) {
      all.write(frame(opcode, true, payload));
    }
    out.write(all.toByteArray());
    out.flush();
  }

  private static byte[] frame(int opcode, boolean fin, byte[] payload) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write((fin ? 0x80 : 0) | opcode);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else {
      frame.write(0x80 | 126);
      frame.write(payload.length >> 8);
      frame.write(payload.length & 0xff);
    }
    byte[] mask = new byte[4];
    RANDOM.nextBytes(mask);
    frame.write(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    return frame.toByteArray();
  }

  public void sendText(String text) throws IOException {
    send(TEXT, true, text.getBytes(StandardCharsets.UTF_8));
  }

  /** The next frame from the server, or null when the connection ended (EOF or reset). */
  public Frame next() throws IOException {
    try {
      int first = in.readUnsignedByte();
      int second = in.readUnsignedByte();
      long length = second & 0x7f;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      byte[] payload = new byte[(int) length];
      in.readFully(payload);
      return new Frame(first & 0x0f, payload);
    } catch (EOFException | SocketException e) {
      return null;
    }
  }

  /** Reads frames until a text frame containing {@code marker}; fails after the socket timeout. */
  public Frame nextTextContaining(String marker) throws IOException {
    while (true) {
      Frame frame = next();
      if (frame == null) {
        throw new AssertionError("connection ended before a frame containing " + marker);
      }
      if (frame.opcode() == TEXT && frame.text().contains(marker)) {
        return frame;
      }
    }
  }

  /** Reads until the server's close frame (returned) or the end of the connection (null). */
  public Frame awaitClose() throws IOException {
    try {
      while (true) {
        Frame frame = next();
        if (frame == null || frame.opcode() == CLOSE) {
          return frame;
        }
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server did not close the connection", e);
    }
  }

  /** Drops the connection with a TCP reset: no close frame, no FIN. */
  public void reset() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
