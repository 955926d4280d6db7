package io.huddle.user;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huddle.support.Api;
import io.huddle.support.Api.TestUser;
import io.huddle.support.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
class UserResourceTest {

  private static Response signup(Object body) {
    return given().contentType(ContentType.JSON).body(body).post("/api/v1/user/signup");
  }

  private static Response login(String rawJson) {
    return given().contentType(ContentType.JSON).body(rawJson).post("/api/v1/user/login");
  }

  /** A fresh valid username (3-20 characters). */
  private static String freshName(String prefix) {
    String unique = Api.unique(prefix);
    return unique.length() > 20 ? prefix + unique.substring(unique.length() - 16) : unique;
  }

  /** A signup body with one field replaced by a raw JSON value (escapes kept as written). */
  private static String rawSignup(String field, String rawValue) {
    return rawSignup(freshName("r"), field, rawValue);
  }

  private static String rawSignup(String name, String field, String rawValue) {
    Map<String, String> fields =
        new java.util.LinkedHashMap<>(
            Map.of(
                "username", "\"" + name + "\"",
                "email", "\"" + name + "@example.com\"",
                "password", "\"password123\""));
    fields.put(field, rawValue);
    return fields.entrySet().stream()
        .map(e -> "\"" + e.getKey() + "\":" + e.getValue())
        .collect(java.util.stream.Collectors.joining(",", "{", "}"));
  }

  private static Map<String, String> signupBody(String username, String email, String password) {
    return Map.of("username", username, "email", email, "password", password);
  }

  @Test
  void signupAnswers201WithStringIdAndLowerCasedEmail() {
    String name = Api.newUser().username().replace("u_", "A_");
    signup(signupBody(name, "Mixed." + name + "@Example.COM", "password123"))
        .then()
        .statusCode(201)
        .body("id", matchesPattern("\\d+"))
        .body("username", equalTo(name))
        .body("email", equalTo(("mixed." + name + "@example.com").toLowerCase()))
        .body("password", equalTo(null));
  }

  @ParameterizedTest(name = "[{index}] {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "ab|ab@example.com|password123|username must be 3-20 characters of letters, digits, _ or -",
        "bad name|bn@example.com|password123|username must be 3-20 characters of letters, digits, _ or -",
        "abcdefghijklmnopqrstu|long@example.com|password123|username must be 3-20 characters of letters, digits, _ or -",
        "okname1|not-an-email|password123|email must be a valid email address",
        "okname2|a@b|password123|email must be a valid email address",
        "okname3|ok3@example.com|short7!|password must be 8-72 bytes long",
      })
  void signupRejectsInvalidFields(String username, String email, String password, String error) {
    signup(signupBody(username, email, password))
        .then()
        .statusCode(400)
        .body("error", equalTo(error));
    // Nothing was created: that email cannot log in.
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("email", email, "password", password))
        .post("/api/v1/user/login")
        .then()
        .statusCode(401);
  }

  @Test
  void signupRejectsOverlongEmailAndPassword() {
    // Well-formed (64-char local part, 63-char labels) but 260 characters long.
    String longEmail = "a".repeat(64) + "@" + ("b".repeat(63) + ".").repeat(3) + "com";
    signup(signupBody("longmail", longEmail, "password123"))
        .then()
        .statusCode(400)
        .body("error", equalTo("email must be at most 254 characters"));
    signup(signupBody("longpass", "longpass@example.com", "p".repeat(73)))
        .then()
        .statusCode(400)
        .body("error", equalTo("password must be 8-72 bytes long"));
    // 72 bytes is the bcrypt limit, counted in UTF-8: 24 three-byte characters pass, 25 do not.
    signup(
            signupBody(
                Api.unique("mb").substring(0, 12),
                Api.unique("mb") + "@example.com",
                "€".repeat(25)))
        .then()
        .statusCode(400);
    signup(
            signupBody(
                Api.unique("mc").substring(0, 12),
                Api.unique("mc") + "@example.com",
                "€".repeat(24)))
        .then()
        .statusCode(201);
  }

  @Test
  void signupRejectsMissingFieldsMalformedJsonAndNoBody() {
    signup(Map.of("email", "x@example.com", "password", "password123"))
        .then()
        .statusCode(400)
        .body("error", equalTo("username is required"));
    signup("{\"username\": \"abc\",").then().statusCode(400).body("error", notNullValue());
    signup("[1,2]").then().statusCode(400).body("error", notNullValue());
    given()
        .contentType(ContentType.JSON)
        .post("/api/v1/user/signup")
        .then()
        .statusCode(400)
        .body("error", equalTo("A JSON request body is required"));
    given()
        .contentType(ContentType.TEXT)
        .body("hello")
        .post("/api/v1/user/signup")
        .then()
        .statusCode(415)
        .body("error", containsString("application/json"));
  }

  @Test
  void duplicateUsernameOrEmailIs409AndEmailIsCaseInsensitive() {
    TestUser existing = Api.newUser();
    signup(signupBody(existing.username(), Api.unique("d") + "@example.com", "password123"))
        .then()
        .statusCode(409)
        .body("error", equalTo("That username is already taken"));
    signup(
            signupBody(
                Api.unique("e").substring(0, 12), existing.email().toUpperCase(), "password123"))
        .then()
        .statusCode(409)
        .body("error", equalTo("That email is already registered"));
  }

  @Test
  void concurrentSignupsWithOneEmailLetExactlyOneWin() throws Exception {
    String email = Api.unique("race") + "@example.com";
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String username = ("racer" + i + "_" + System.nanoTime()).substring(0, 18);
        calls.add(() -> signup(signupBody(username, email, "password123")).statusCode());
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> f : pool.invokeAll(calls)) {
        statuses.add(f.get());
      }
      assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
      assertEquals(7, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void loginAnswersTokenAndSetsHttpOnlyCookie() {
    TestUser user = Api.newUser();
    Response response =
        given()
            .contentType(ContentType.JSON)
            .body(Map.of("email", user.email().toUpperCase(), "password", Api.PASSWORD))
            .post("/api/v1/user/login");
    response
        .then()
        .statusCode(200)
        .body("id", equalTo(user.id()))
        .body("username", equalTo(user.username()))
        .body("accessToken", notNullValue())
        .body("expiresAt", notNullValue());
    String cookie = response.getHeader("Set-Cookie");
    String token = response.path("accessToken");
    assertTrue(cookie.startsWith("access_token=" + token + ";"), cookie);
    assertTrue(cookie.contains("HttpOnly"), cookie);
    assertTrue(cookie.contains("SameSite=Lax"), cookie);
    assertTrue(cookie.contains("Path=/"), cookie);
    assertTrue(cookie.contains("Max-Age=86400"), cookie);
    Instant expiresAt = Instant.parse(response.path("expiresAt"));
    assertTrue(expiresAt.isAfter(Instant.now().plusSeconds(86_000)), expiresAt.toString());
  }

  @Test
  void wrongPasswordAndUnknownEmailGetTheSame401() {
    TestUser user = Api.newUser();
    String wrong =
        given()
            .contentType(ContentType.JSON)
            .body(Map.of("email", user.email(), "password", "wrong-password"))
            .post("/api/v1/user/login")
            .then()
            .statusCode(401)
            .header("Set-Cookie", equalTo(null))
            .extract()
            .path("error");
    String unknown =
        given()
            .contentType(ContentType.JSON)
            .body(Map.of("email", "nobody-" + user.email(), "password", "wrong-password"))
            .post("/api/v1/user/login")
            .then()
            .statusCode(401)
            .extract()
            .path("error");
    assertEquals("Email or password is incorrect", wrong);
    assertEquals(wrong, unknown);
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("email", user.email()))
        .post("/api/v1/user/login")
        .then()
        .statusCode(400)
        .body("error", equalTo("password is required"));
  }

  @Test
  void meWorksWithBearerAndCookieAndNotWithout() {
    TestUser user = Api.newUser();
    given()
        .auth()
        .oauth2(user.token())
        .get("/api/v1/user/me")
        .then()
        .statusCode(200)
        .body("id", equalTo(user.id()))
        .body("username", equalTo(user.username()))
        .body("email", equalTo(user.email()));
    given()
        .cookie("access_token", user.token())
        .get("/api/v1/user/me")
        .then()
        .statusCode(200)
        .body("id", equalTo(user.id()));
    given().get("/api/v1/user/me").then().statusCode(401).body("error", notNullValue());
    given()
        .auth()
        .oauth2("not.a.jwt")
        .get("/api/v1/user/me")
        .then()
        .statusCode(401)
        .body("error", notNullValue());
  }

  @Test
  void expiredAndForeignlySignedTokensAre401() throws Exception {
    TestUser user = Api.newUser();
    String expired =
        Jwt.issuer("huddle")
            .subject(user.id())
            .claim("username", user.username())
            .claim("jti", Api.unique("jti"))
            .issuedAt(Instant.now().minusSeconds(7200))
            .expiresAt(Instant.now().minusSeconds(3600))
            .sign();
    given().auth().oauth2(expired).get("/api/v1/user/me").then().statusCode(401);

    var generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    String foreign =
        Jwt.issuer("huddle")
            .subject(user.id())
            .claim("username", user.username())
            .claim("jti", Api.unique("jti"))
            .expiresAt(Instant.now().plusSeconds(3600))
            .sign(generator.generateKeyPair().getPrivate());
    given().auth().oauth2(foreign).get("/api/v1/user/me").then().statusCode(401);
  }

  @Test
  void logoutRevokesTheTokenAndClearsTheCookie() {
    TestUser user = Api.newUser();
    String other = Api.login(user.email(), Api.PASSWORD);
    given()
        .auth()
        .oauth2(user.token())
        .post("/api/v1/user/logout")
        .then()
        .statusCode(200)
        .body("message", equalTo("Successfully logged out"))
        .header("Set-Cookie", containsString("access_token=;"))
        .header("Set-Cookie", containsString("Max-Age=0"));
    given().auth().oauth2(user.token()).get("/api/v1/user/me").then().statusCode(401);
    given().cookie("access_token", user.token()).get("/api/v1/user/me").then().statusCode(401);
    // Only the presented token is revoked: another session of the same user goes on.
    given().auth().oauth2(other).get("/api/v1/user/me").then().statusCode(200);
    // GET works too, through the cookie, and logging out twice is harmless.
    given()
        .cookie("access_token", other)
        .get("/api/v1/user/logout")
        .then()
        .statusCode(200)
        .body("message", equalTo("Successfully logged out"));
    given().auth().oauth2(other).get("/api/v1/user/me").then().statusCode(401);
    given().cookie("access_token", other).get("/api/v1/user/logout").then().statusCode(200);
  }

  @Test
  void logoutWithoutATokenStillAnswers200() {
    given()
        .get("/api/v1/user/logout")
        .then()
        .statusCode(200)
        .body("message", equalTo("Successfully logged out"))
        .header("Set-Cookie", not(containsString("access_token=ey")));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "username|\"ab\\u0000cd\"|username must not contain NUL characters",
        "email|\"a\\u0000b@example.com\"|email must not contain NUL characters",
        "password|\"password\\u0000123\"|password must not contain NUL characters",
        "username|12345|username must be a string",
        "email|1.5|email must be a string",
        "password|true|password must be a string",
        "password|{\"a\":1}|password must be a string",
        "email|\"s\\ud800@example.com\"|email must be valid Unicode (no unpaired surrogate)",
        "email|\"s\\udc00@example.com\"|email must be valid Unicode (no unpaired surrogate)",
        "username|\"ab\\ud83dcd\"|username must be valid Unicode (no unpaired surrogate)",
      })
  void signupRefusesNulNonStringsAndUnpairedSurrogatesNamingTheField(
      String field, String rawValue, String error) {
    String name = freshName("r");
    try (LogCapture log = LogCapture.start()) {
      signup(rawSignup(name, field, rawValue)).then().statusCode(400).body("error", equalTo(error));
      log.assertQuiet(1);
    }
    // Nothing was stored: that username and email are still free.
    signup(rawSignup(name, "password", "\"password123\"")).then().statusCode(201);
  }

  @Test
  void loginRefusesNulNonStringsAndUnpairedSurrogatesWithoutAStackTrace() {
    try (LogCapture log = LogCapture.start()) {
      // A NUL reached PostgreSQL before ("invalid byte sequence"): a 500 and ~80 log lines.
      login("{\"email\":\"a\\u0000b@example.com\",\"password\":\"password123\"}")
          .then()
          .statusCode(400)
          .body("error", equalTo("email must not contain NUL characters"));
      login("{\"email\":\"a@example.com\",\"password\":\"pass\\u0000word\"}")
          .then()
          .statusCode(400)
          .body("error", equalTo("password must not contain NUL characters"));
      login("{\"email\":12345,\"password\":\"password123\"}")
          .then()
          .statusCode(400)
          .body("error", equalTo("email must be a string"));
      login("{\"email\":\"a@example.com\",\"password\":false}")
          .then()
          .statusCode(400)
          .body("error", equalTo("password must be a string"));
      login("{\"email\":\"\\udfff@example.com\",\"password\":\"password123\"}")
          .then()
          .statusCode(400)
          .body("error", equalTo("email must be valid Unicode (no unpaired surrogate)"));
      log.assertQuiet(1);
    }
  }

  @Test
  void unpairedSurrogatesNoLongerCollideAsQuestionMarks() {
    // Both used to be stored as "s?@..." : the second signup answered 409 for a different email.
    String tag = freshName("sg");
    signup(rawSignup("email", "\"s\\ud800" + tag + "@example.com\"")).then().statusCode(400);
    signup(rawSignup("email", "\"s\\udc00" + tag + "@example.com\"")).then().statusCode(400);
    // A surrogate pair is one valid character (U+1F600) and is kept.
    String name = freshName("sp");
    signup(
            "{\"username\":\""
                + name
                + "\",\"email\":\""
                + name
                + "@example.com\",\"password\":\"smile \\ud83d\\ude00 please\"}")
        .then()
        .statusCode(201);
    Api.login(name.toLowerCase() + "@example.com", "smile \ud83d\ude00 please");
  }

  @Test
  void trailingContentAfterTheJsonObjectIs400() {
    TestUser user = Api.newUser();
    String valid = "{\"email\":\"" + user.email() + "\",\"password\":\"" + Api.PASSWORD + "\"}";
    for (String trailing : List.of(" xyz", "{\"a\":1}", " {}", "[]", "\"x\"", "1")) {
      login(valid + trailing)
          .then()
          .statusCode(400)
          .header("Set-Cookie", equalTo(null))
          .body("error", notNullValue());
    }
    // Whitespace after the object is not content.
    login(valid + " \n\t").then().statusCode(200);

    String name = freshName("tr");
    String signupBody =
        "{\"username\":\""
            + name
            + "\",\"email\":\""
            + name
            + "@example.com\",\"password\":\"password123\"}";
    signup(signupBody + "{\"username\":\"other\"}").then().statusCode(400);
    // Nothing was created by the refused body.
    signup(signupBody).then().statusCode(201);
  }

  @Test
  void aBodyWithoutContentTypeIs415() throws Exception {
    // A cross-site form or no-cors fetch can send a body without application/json; that body
    // used to be read as JSON (with the victim's cookie, for the endpoints that need one).
    String name = freshName("ct");
    String body =
        "{\"username\":\""
            + name
            + "\",\"email\":\""
            + name
            + "@example.com\",\"password\":\"password123\"}";
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://localhost:" + RestAssured.port + "/api/v1/user/signup"))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(415, response.statusCode(), response.body());
    assertEquals("{\"error\":\"Unsupported media type: send application/json\"}", response.body());
    // Not created: the same body with the right type signs up.
    signup(body).then().statusCode(201);
    given()
        .contentType("text/plain")
        .body("x")
        .post("/api/v1/user/logout")
        .then()
        .statusCode(415)
        .body("error", equalTo("Unsupported media type: send application/json"));
  }

  @Test
  void crossSiteLogoutIsRefusedAndTheTokenKeepsWorking() {
    TestUser user = Api.newUser();
    List<Map<String, String>> crossSite =
        List.of(
            Map.of("Sec-Fetch-Site", "cross-site"),
            Map.of("Sec-Fetch-Site", "same-site"),
            Map.of("Origin", "https://evil.example"),
            Map.of("Origin", "null"));
    for (Map<String, String> headers : crossSite) {
      for (String method : List.of("GET", "POST")) {
        given()
            .cookie("access_token", user.token())
            .headers(headers)
            .request(method, "/api/v1/user/logout")
            .then()
            .statusCode(403)
            .header("Set-Cookie", equalTo(null))
            .body("error", equalTo("Cross-site logout refused: log out from Huddle itself"));
      }
    }
    // Refused means not revoked.
    given().auth().oauth2(user.token()).get("/api/v1/user/me").then().statusCode(200);

    // Same-origin browsers, configured origins and clients without these headers log out.
    String own = "http://localhost:" + RestAssured.port;
    List<Map<String, String>> allowed =
        List.of(
            Map.of("Sec-Fetch-Site", "same-origin", "Origin", own),
            Map.of("Sec-Fetch-Site", "none"),
            Map.of("Origin", "https://allowed.example"),
            Map.of());
    for (Map<String, String> headers : allowed) {
      String token = Api.login(user.email(), Api.PASSWORD);
      given()
          .cookie("access_token", token)
          .headers(headers)
          .get("/api/v1/user/logout")
          .then()
          .statusCode(200)
          .body("message", equalTo("Successfully logged out"));
      given().auth().oauth2(token).get("/api/v1/user/me").then().statusCode(401);
    }
  }
}
