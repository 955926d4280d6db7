package io.huddle.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The API describes itself: every endpoint, its errors, and both ways to send the token. */
@QuarkusTest
class OpenApiTest {

  @Test
  void everyEndpointIsDescribedWithItsErrors() {
    var spec = given().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
    for (String path :
        new String[] {
          "/api/v1/user/signup",
          "/api/v1/user/login",
          "/api/v1/user/logout",
          "/api/v1/user/me",
          "/api/v1/ws/createRoom",
          "/api/v1/ws/getRooms",
          "/api/v1/ws/get/{roomId}",
          "/api/v1/rooms/{roomId}/messages",
          "/api/v1/rooms/{roomId}/messages/{seq}",
          "/api/v1/rooms/{roomId}/read",
          "/api/v1/rooms/{roomId}/invitations",
          "/api/v1/rooms/{roomId}/invitations/{invitationId}",
          "/api/v1/invitations/{code}/accept",
          "/api/v1/rooms/{roomId}",
          "/api/v1/rooms/{roomId}/kicks",
          "/api/v1/rooms/{roomId}/bans",
          "/api/v1/rooms/{roomId}/bans/{userId}",
          "/api/v1/rooms/{roomId}/mutes",
          "/api/v1/rooms/{roomId}/mutes/{userId}",
          "/api/v1/rooms/{roomId}/archive",
          "/api/v1/rooms/{roomId}/moderation"
        }) {
      org.hamcrest.MatcherAssert.assertThat(path, spec.getMap("paths"), hasKey(path));
    }
    org.hamcrest.MatcherAssert.assertThat(
        spec.getMap("paths.'/api/v1/user/signup'.post.responses"), hasKey("409"));
    org.hamcrest.MatcherAssert.assertThat(
        spec.getMap("paths.'/api/v1/rooms/{roomId}/messages'.get.responses"), hasKey("400"));
    for (String method : new String[] {"patch", "delete"}) {
      var responses =
          spec.getMap("paths.'/api/v1/rooms/{roomId}/messages/{seq}'." + method + ".responses");
      for (String status : new String[] {"200", "400", "403", "404", "409", "429"}) {
        org.hamcrest.MatcherAssert.assertThat(method + " " + status, responses, hasKey(status));
      }
    }
    org.hamcrest.MatcherAssert.assertThat(
        spec.get("components.schemas.ChatMessage.properties.targetSeq"), notNullValue());
    org.hamcrest.MatcherAssert.assertThat(
        spec.get("components.schemas.ChatMessage.properties.deleted"), notNullValue());
    org.hamcrest.MatcherAssert.assertThat(
        spec.getMap("paths.'/api/v1/rooms/{roomId}/read'.put.responses"), hasKey("400"));
    org.hamcrest.MatcherAssert.assertThat(
        spec.getMap("paths.'/api/v1/rooms/{roomId}/read'.put.responses"), hasKey("404"));
    org.hamcrest.MatcherAssert.assertThat(
        spec.getMap("components.schemas.ReadMarker.properties"), hasKey("unread"));
    org.hamcrest.MatcherAssert.assertThat(
        spec.getMap("components.schemas.Room.properties"), hasKey("unread"));
    org.hamcrest.MatcherAssert.assertThat(
        spec.getMap("paths.'/api/v1/rooms/{roomId}/bans'.post.responses"), hasKey("409"));
    org.hamcrest.MatcherAssert.assertThat(
        spec.getMap("paths.'/api/v1/rooms/{roomId}/messages'.get.responses"), hasKey("403"));
    org.hamcrest.MatcherAssert.assertThat(
        spec.getMap("components.securitySchemes"), hasKey("bearer"));
    org.hamcrest.MatcherAssert.assertThat(
        spec.getMap("components.securitySchemes"), hasKey("cookie"));
    org.hamcrest.MatcherAssert.assertThat(
        spec.get("components.schemas.Error.properties.error"), notNullValue());
  }

  @Test
  void swaggerUiIsServed() {
    given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
  }
}
