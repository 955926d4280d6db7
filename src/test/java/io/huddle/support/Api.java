package io.huddle.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Short-hands for the REST calls most tests need before they test something else. */
public final class Api {
  private static final AtomicInteger SEQ = new AtomicInteger();
  public static final String PASSWORD = "password123";

  private Api() {}

  /** A user that exists, with a valid token. */
  public record TestUser(String id, String username, String email, String token) {}

  public static String unique(String prefix) {
    return prefix + "_" + (System.nanoTime() % 1_000_000_000L) + "_" + SEQ.incrementAndGet();
  }

  public static TestUser newUser() {
    String username = unique("u");
    if (username.length() > 20) {
      username = username.substring(username.length() - 20);
    }
    String email = username.toLowerCase() + "@example.com";
    String id =
        given()
            .contentType(ContentType.JSON)
            .body(Map.of("username", username, "email", email, "password", PASSWORD))
            .post("/api/v1/user/signup")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    return new TestUser(id, username, email, login(email, PASSWORD));
  }

  public static String login(String email, String password) {
    return given()
        .contentType(ContentType.JSON)
        .body(Map.of("email", email, "password", password))
        .post("/api/v1/user/login")
        .then()
        .statusCode(200)
        .extract()
        .path("accessToken");
  }

  public static String newRoom(TestUser owner) {
    String id = unique("room");
    return create(owner, Map.of("id", id, "name", "Room " + id));
  }

  /** A private room owned by the given user. */
  public static String newPrivateRoom(TestUser owner) {
    String id = unique("priv");
    return create(owner, Map.of("id", id, "name", "Private " + id, "kind", "private"));
  }

  private static String create(TestUser owner, Map<String, String> room) {
    given()
        .auth()
        .oauth2(owner.token())
        .contentType(ContentType.JSON)
        .body(room)
        .post("/api/v1/ws/createRoom")
        .then()
        .statusCode(201);
    return room.get("id");
  }

  /** The inviter adds the user to the room as a member. */
  public static void invite(TestUser inviter, String roomId, TestUser user) {
    given()
        .auth()
        .oauth2(inviter.token())
        .contentType(ContentType.JSON)
        .body(Map.of("username", user.username()))
        .post("/api/v1/rooms/" + roomId + "/members")
        .then()
        .statusCode(201);
  }
}
