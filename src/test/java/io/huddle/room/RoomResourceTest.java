package io.huddle.room;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
class RoomResourceTest {

  private static Response create(TestUser user, Object body) {
    return given()
        .auth()
        .oauth2(user.token())
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/ws/createRoom");
  }

  @Test
  void createRoomAnswers201AndListsIt() {
    TestUser user = Api.newUser();
    String id = Api.unique("Café 1.a-b");
    create(user, Map.of("id", id, "name", "Coffee talk"))
        .then()
        .statusCode(201)
        .body("id", equalTo(id))
        .body("name", equalTo("Coffee talk"));
    given()
        .auth()
        .oauth2(user.token())
        .get("/api/v1/ws/getRooms")
        .then()
        .statusCode(200)
        .body("rooms.id", hasItem(id))
        .body("rooms.find { it.id == '" + id + "' }.name", equalTo("Coffee talk"));
  }

  @Test
  void duplicateRoomIdIs409AndKeepsTheFirstName() {
    TestUser user = Api.newUser();
    String id = Api.unique("dup");
    create(user, Map.of("id", id, "name", "First")).then().statusCode(201);
    create(Api.newUser(), Map.of("id", id, "name", "Second"))
        .then()
        .statusCode(409)
        .body("error", equalTo("A room with id '" + id + "' already exists"));
    given()
        .auth()
        .oauth2(user.token())
        .get("/api/v1/ws/getRooms")
        .then()
        .body("rooms.find { it.id == '" + id + "' }.name", equalTo("First"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "has/slash", "semi;colon", "emoji😀", ".", "..", "x"})
  void invalidRoomIdIs400(String id) {
    TestUser user = Api.newUser();
    String roomId = id.equals("x") ? "x".repeat(65) : id;
    create(user, Map.of("id", roomId, "name", "Name"))
        .then()
        .statusCode(400)
        .body("error", notNullValue());
    given()
        .auth()
        .oauth2(user.token())
        .get("/api/v1/ws/getRooms")
        .then()
        .body("rooms.id", not(hasItem(roomId)));
  }

  @Test
  void invalidOrMissingNameIs400() {
    TestUser user = Api.newUser();
    create(user, Map.of("id", Api.unique("n"), "name", ""))
        .then()
        .statusCode(400)
        .body("error", equalTo("name must not be blank"));
    create(user, Map.of("id", Api.unique("n"), "name", "n".repeat(101)))
        .then()
        .statusCode(400)
        .body("error", equalTo("name must be at most 100 characters"));
    create(user, Map.of("id", Api.unique("n")))
        .then()
        .statusCode(400)
        .body("error", equalTo("name is required"));
    create(user, Map.of("id", Api.unique("n"), "name", "n".repeat(100))).then().statusCode(201);
  }

  @Test
  void roomEndpointsNeedAToken() {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("id", "anon-room", "name", "Anon"))
        .post("/api/v1/ws/createRoom")
        .then()
        .statusCode(401)
        .body("error", notNullValue());
    given().get("/api/v1/ws/getRooms").then().statusCode(401).body("error", notNullValue());
    given().get("/api/v1/ws/get/anything").then().statusCode(401);
    TestUser user = Api.newUser();
    given()
        .auth()
        .oauth2(user.token())
        .get("/api/v1/ws/getRooms")
        .then()
        .body("rooms.id", not(hasItem("anon-room")));
  }

  @Test
  void clientsOfAnEmptyRoomIsAnEmptyListAndUnknownRoomIs404() {
    TestUser user = Api.newUser();
    String room = Api.newRoom(user);
    given()
        .auth()
        .oauth2(user.token())
        .get("/api/v1/ws/get/" + room)
        .then()
        .statusCode(200)
        .body("$", hasSize(0));
    given()
        .auth()
        .oauth2(user.token())
        .get("/api/v1/ws/get/no-such-room")
        .then()
        .statusCode(404)
        .body("error", equalTo("Room 'no-such-room' does not exist"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"/api/v1/ws/get/%00", "/api/v1/ws/get/a%00b", "/api/v1/rooms/%00/messages"})
  void aRoomIdThatCannotExistIs404WithAnErrorBody(String path) throws Exception {
    // Sent as is (RestAssured would encode the % again): a NUL used to reach PostgreSQL, a 500.
    TestUser alice = Api.newUser();
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                    .header("Authorization", "Bearer " + alice.token())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(404, response.statusCode(), response.body());
    assertTrue(response.body().startsWith("{\"error\":"), response.body());
  }

  private static void assertNotListed(TestUser user, String id) {
    given()
        .auth()
        .oauth2(user.token())
        .get("/api/v1/ws/getRooms")
        .then()
        .statusCode(200)
        .body("rooms.id", not(hasItem(id)));
  }

  @Test
  void nulNonStringsAndUnpairedSurrogatesAre400NamingTheField() {
    TestUser user = Api.newUser();
    String id = Api.unique("strict");
    List<String[]> cases =
        List.of(
            // A NUL in the name reached PostgreSQL before: a 500 and ~90 log lines.
            new String[] {
              "{\"id\":\"" + id + "\",\"name\":\"x\\u0000y\"}",
              "name must not contain NUL characters"
            },
            new String[] {
              "{\"id\":\"a\\u0000b\",\"name\":\"x\"}", "id must not contain NUL characters"
            },
            new String[] {"{\"id\":\"" + id + "\",\"name\":true}", "name must be a string"},
            new String[] {"{\"id\":123,\"name\":\"x\"}", "id must be a string"},
            new String[] {
              "{\"id\":\"" + id + "\",\"name\":\"x\\udfff\"}",
              "name must be valid Unicode (no unpaired surrogate)"
            });
    try (LogCapture log = LogCapture.start()) {
      for (String[] c : cases) {
        create(user, c[0]).then().statusCode(400).body("error", equalTo(c[1]));
      }
      log.assertQuiet(1);
    }
    assertNotListed(user, id);
    assertNotListed(user, "123");
  }

  @Test
  void trailingContentAfterTheJsonObjectIs400() {
    TestUser user = Api.newUser();
    String first = Api.unique("tr1");
    String second = Api.unique("tr2");
    String body = "{\"id\":\"" + first + "\",\"name\":\"First\"}";
    create(user, body + "{\"id\":\"" + second + "\",\"name\":\"Second\"}")
        .then()
        .statusCode(400)
        .body("error", notNullValue());
    create(user, body + " xyz").then().statusCode(400);
    assertNotListed(user, first);
    assertNotListed(user, second);
    create(user, body + "\n").then().statusCode(201);
  }

  @Test
  void nameLengthCountsCodePointsSoEmojiNamesReachTheLimit() {
    TestUser user = Api.newUser();
    String hundred = "\uD83D\uDE00".repeat(100); // 100 characters, 200 UTF-16 units
    String id = Api.unique("emoji");
    create(user, Map.of("id", id, "name", hundred))
        .then()
        .statusCode(201)
        .body("name", equalTo(hundred));
    create(user, Map.of("id", Api.unique("emoji"), "name", hundred + "x"))
        .then()
        .statusCode(400)
        .body("error", equalTo("name must be at most 100 characters"));
  }

  @Test
  void createRoomWithoutJsonContentTypeIs415AndCreatesNothing() throws Exception {
    // The cookie rides along on a cross-site request; a body without Content-Type (a no-cors
    // fetch of a Blob) used to be read as JSON and create the room.
    TestUser user = Api.newUser();
    String id = Api.unique("csrf");
    String body = "{\"id\":\"" + id + "\",\"name\":\"Planted\"}";
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://localhost:" + RestAssured.port + "/api/v1/ws/createRoom"))
                    .header("Cookie", "access_token=" + user.token())
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(415, response.statusCode(), response.body());
    assertEquals("{\"error\":\"Unsupported media type: send application/json\"}", response.body());
    for (String type : List.of("text/plain; charset=UTF-8", "application/x-www-form-urlencoded")) {
      given()
          .cookie("access_token", user.token())
          .contentType(type)
          .body(body)
          .post("/api/v1/ws/createRoom")
          .then()
          .statusCode(415)
          .body("error", equalTo("Unsupported media type: send application/json"));
    }
    assertNotListed(user, id);
  }
}
