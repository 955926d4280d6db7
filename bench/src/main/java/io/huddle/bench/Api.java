package io.huddle.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The REST calls the bench needs: sign-up, log-in, create a room; against the Go server only the
 * room (it has no working accounts: its user routes always answer 401).
 */
final class Api {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  /** A signed-up user and its access token. */
  record User(String username, String email, String password, String token) {}

  /** What the user cache file holds. */
  record UserCache(String url, List<User> users) {}

  private final URI base;
  private final Options.Target target;
  private final URI health;
  private final ObjectMapper mapper;
  private final HttpClient http;

  /** Whether the last {@link #users} call took its users from the cache. */
  boolean usersFromCache;

  Api(URI base, Options.Target target, URI health, ObjectMapper mapper) {
    this.base = base;
    this.target = target;
    this.health = health;
    this.mapper = mapper;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  /**
   * Fails fast with a clear message when nothing answers at the URL: Huddle's readiness check, or
   * for the Go server (no health endpoint) its room list, which needs no database.
   */
  void checkReachable() throws IOException {
    URI uri =
        target == Options.Target.GO
            ? base.resolve("/api/v1/ws/getRooms")
            : health != null ? health : defaultHealth(base);
    HttpResponse<String> r =
        send(HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build());
    if (r.statusCode() != 200) {
      throw new IOException("GET " + uri + " answered " + r.statusCode() + ": " + r.body());
    }
  }

  /**
   * Huddle serves health on its management interface, not on the HTTP port: Quarkus' default
   * management port 9000 on the same host.
   */
  static URI defaultHealth(URI base) {
    return URI.create("http://" + base.getHost() + ":9000/q/health/ready");
  }

  /**
   * K users with tokens: from the cache when it holds enough users whose token still works on this
   * server, otherwise signed up and logged in with {@code parallel} requests in flight.
   */
  List<User> users(int count, int parallel, String runId, Path cache) throws IOException {
    if (cache != null && Files.exists(cache)) {
      try {
        UserCache cached = mapper.readValue(cache.toFile(), UserCache.class);
        if (base.toString().equals(cached.url())
            && cached.users().size() >= count
            && tokenWorks(cached.users().get(0).token())
            && tokenWorks(cached.users().get(count - 1).token())) {
          usersFromCache = true;
          return cached.users().subList(0, count);
        }
      } catch (IOException e) {
        // An unreadable cache is rebuilt below.
      }
    }
    List<User> users = signupAll(count, parallel, runId);
    if (cache != null) {
      mapper.writeValue(cache.toFile(), new UserCache(base.toString(), users));
    }
    return users;
  }

  private List<User> signupAll(int count, int parallel, String runId) throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(parallel, Bench.daemon("signup"));
    try {
      List<Future<User>> futures = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String username = "hb" + runId + "_" + i;
        futures.add(pool.submit(() -> signupAndLogin(username)));
      }
      List<User> users = new ArrayList<>(count);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      for (Future<User> f : futures) {
        long left = deadline - System.nanoTime();
        users.add(f.get(Math.max(1, left), TimeUnit.NANOSECONDS));
      }
      return users;
    } catch (ExecutionException e) {
      throw new IOException("Sign-up failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("Sign-up did not finish within 10 minutes", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted", e);
    } finally {
      pool.shutdownNow();
    }
  }

  User signupAndLogin(String username) throws IOException {
    String email = username.toLowerCase() + "@bench.example.com";
    String password = "bench-" + username;
    HttpResponse<String> r =
        send(
            post(
                "/api/v1/user/signup",
                null,
                Map.of("username", username, "email", email, "password", password)));
    if (r.statusCode() != 201) {
      throw new IOException(
          "sign-up of " + username + " answered " + r.statusCode() + ": " + r.body());
    }
    r = send(post("/api/v1/user/login", null, Map.of("email", email, "password", password)));
    if (r.statusCode() != 200) {
      throw new IOException(
          "log-in of " + username + " answered " + r.statusCode() + ": " + r.body());
    }
    JsonNode body = mapper.readTree(r.body());
    String token = body.path("accessToken").asText(null);
    if (token == null) {
      throw new IOException("log-in of " + username + " returned no accessToken");
    }
    return new User(username, email, password, token);
  }

  /** Huddle answers 201 and needs a token; the Go server answers 200 and takes none. */
  void createRoom(String token, String id, String name) throws IOException {
    HttpResponse<String> r =
        send(post("/api/v1/ws/createRoom", token, Map.of("id", id, "name", name)));
    int created = target == Options.Target.GO ? 200 : 201;
    if (r.statusCode() != created) {
      throw new IOException("createRoom " + id + " answered " + r.statusCode() + ": " + r.body());
    }
  }

  boolean tokenWorks(String token) {
    try {
      return send(get("/api/v1/user/me", token)).statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  private HttpRequest get(String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT);
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b.GET().build();
  }

  private HttpRequest post(String path, String token, Map<String, String> body) throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b.POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body))).build();
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted", e);
    }
  }
}
