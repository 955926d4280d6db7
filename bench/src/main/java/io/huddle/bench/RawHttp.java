package io.huddle.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal blocking HTTP/1.1 client on one kept-alive socket bound to a chosen local address (the
 * JDK 17 HttpClient cannot choose its source address; the attack driver must come from one address
 * that is not the victim's). Reconnects after the server closes.
 */
final class RawHttp implements Closeable {
  record Response(int status, String body, String retryAfter) {}

  private final InetAddress from;
  private final String host;
  private final int port;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private int timeoutMillis = 15_000;

  RawHttp(InetAddress from, String host, int port) {
    this.from = from;
    this.host = host;
    this.port = port;
  }

  /** Read timeout for every response (default 15 s). */
  RawHttp timeout(int millis) {
    timeoutMillis = millis;
    return this;
  }

  Response post(String path, String token, String json) throws IOException {
    return send("POST", path, token, json);
  }

  Response send(String method, String path, String token, String json) throws IOException {
    if (socket == null) {
      Socket s = new Socket();
      try {
        s.bind(new InetSocketAddress(from, 0));
        s.setTcpNoDelay(true);
        s.setSoTimeout(timeoutMillis);
        s.connect(new InetSocketAddress(host, port), Math.min(10_000, timeoutMillis));
      } catch (IOException e) {
        s.close();
        throw e;
      }
      socket = s;
      in = new BufferedInputStream(s.getInputStream());
      out = s.getOutputStream();
    }
    byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
    StringBuilder h = new StringBuilder(256);
    h.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    h.append("Host: ").append(host).append(':').append(port).append("\r\n");
    if (token != null) {
      h.append("Authorization: Bearer ").append(token).append("\r\n");
    }
    if (json != null) {
      h.append("Content-Type: application/json\r\nContent-Length: ")
          .append(body.length)
          .append("\r\n");
    }
    h.append("\r\n");
    try {
      out.write(h.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      return read();
    } catch (IOException | RuntimeException e) {
      close();
      throw e instanceof IOException io ? io : new IOException(e);
    }
  }

  private Response read() throws IOException {
    String status = line();
    if (status == null) {
      throw new EOFException("closed before the status line");
    }
    String[] parts = status.split(" ");
    int code = Integer.parseInt(parts[1]);
    long length = -1;
    boolean chunked = false;
    boolean close = false;
    String retryAfter = null;
    for (String l = line(); l != null && !l.isEmpty(); l = line()) {
      int c = l.indexOf(':');
      if (c < 0) {
        continue;
      }
      String name = l.substring(0, c).trim().toLowerCase(Locale.ROOT);
      String value = l.substring(c + 1).trim();
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "connection" -> close = value.equalsIgnoreCase("close");
        case "retry-after" -> retryAfter = value;
        default -> {}
      }
    }
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    if (chunked) {
      for (; ; ) {
        String size = line();
        if (size == null) {
          throw new EOFException("closed inside a chunked body");
        }
        int n = Integer.parseInt(size.split(";")[0].trim(), 16);
        if (n == 0) {
          for (String l = line(); l != null && !l.isEmpty(); l = line()) {
            // trailers
          }
          break;
        }
        copy(n, b);
        line();
      }
    } else if (length >= 0) {
      copy(length, b);
    } else {
      close = true; // no length: the body would end at EOF; not used by Huddle
    }
    if (close) {
      close();
    }
    return new Response(code, b.toString(StandardCharsets.UTF_8), retryAfter);
  }

  private void copy(long n, ByteArrayOutputStream b) throws IOException {
    byte[] buf = new byte[4096];
    while (n > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, n));
      if (r < 0) {
        throw new EOFException("closed inside the body");
      }
      b.write(buf, 0, r);
      n -= r;
    }
  }

  /** One header line without CRLF; null at EOF before any byte. */
  private String line() throws IOException {
    StringBuilder s = new StringBuilder(64);
    for (; ; ) {
      int c = in.read();
      if (c < 0) {
        return s.length() == 0 ? null : s.toString();
      }
      if (c == '\n') {
        int len = s.length();
        if (len > 0 && s.charAt(len - 1) == '\r') {
          s.setLength(len - 1);
        }
        return s.toString();
      }
      s.append((char) c);
    }
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      socket = null;
    }
  }
}
