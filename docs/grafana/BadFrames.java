import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends frames the server must refuse, so that huddle_messages_rejected_total{reason} has something
 * to show in a dashboard run: malformed JSON and over-long content (invalid_frame), binary frames
 * (binary_frame) and, every fifth round, a message above the 64 KiB limit (too_large, which closes
 * the socket; the next round reconnects). Needs only a JDK 17+:
 *
 * <pre>java docs/grafana/BadFrames.java http://127.0.0.1:8080 [ROUNDS] [PAUSE_MS]</pre>
 */
public class BadFrames {
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: java BadFrames.java BASE_URL [ROUNDS=20] [PAUSE_MS=1000]");
      System.exit(2);
    }
    String base = args[0].replaceAll("/+$", "");
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    long pause = args.length > 2 ? Long.parseLong(args[2]) : 1000;
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    String name = "badframes_" + ThreadLocalRandom.current().nextInt(1_000_000);
    String password = "not a secret " + name;
    post(http, base + "/api/v1/user/signup", null,
        "{\"username\":\"" + name + "\",\"email\":\"" + name + "@example.com\",\"password\":\""
            + password + "\"}");
    String login = post(http, base + "/api/v1/user/login", null,
        "{\"email\":\"" + name + "@example.com\",\"password\":\"" + password + "\"}");
    Matcher m = Pattern.compile("\"accessToken\":\"([^\"]+)\"").matcher(login);
    if (!m.find()) {
      throw new IllegalStateException("login failed: " + login);
    }
    String token = m.group(1);
    String room = "dash-rejects";
    post(http, base + "/api/v1/ws/createRoom", token,
        "{\"id\":\"" + room + "\",\"name\":\"Rejected frames\"}"); // 409 on a second run is fine

    URI ws = URI.create(base.replaceFirst("^http", "ws") + "/api/v1/ws/joinRoom/" + room);
    String tooLong = "{\"type\":\"message\",\"content\":\"" + "x".repeat(4001) + "\"}";
    String aboveLimit = "y".repeat(70_000);
    int sent = 0;
    WebSocket socket = null;
    for (int round = 0; round < rounds; round++) {
      if (socket == null || socket.isOutputClosed() || socket.isInputClosed()) {
        socket = http.newWebSocketBuilder()
            .header("Authorization", "Bearer " + token)
            .buildAsync(ws, new Reader())
            .join();
      }
      try {
        socket.sendText("{\"type\":\"message\",\"content\":", true).join();
        socket.sendText(tooLong, true).join();
        socket.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
        sent += 3;
        if (round % 5 == 4) {
          socket.sendText(aboveLimit, true).join();
          sent++;
          socket = null; // the server closes it with 1009
        }
      } catch (RuntimeException e) {
        System.err.println("badframes: round " + round + ": " + e.getMessage());
        socket = null;
      }
      Thread.sleep(pause);
    }
    System.out.println("badframes: sent " + sent + " frames the server must refuse");
    System.exit(0);
  }

  private static String post(HttpClient http, String url, String token, String json)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  /** Reads and discards the server's frames, so this client is never a slow consumer. */
  private static final class Reader implements WebSocket.Listener {
    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      webSocket.request(1);
      return CompletableFuture.completedFuture(null);
    }
  }
}
