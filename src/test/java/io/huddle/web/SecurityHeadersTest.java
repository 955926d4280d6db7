package io.huddle.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.huddle.support.SwaggerUiPage;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
class SecurityHeadersTest {

  private static ValidatableResponse hasBaseHeaders(ValidatableResponse response) {
    return response
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "/, text/html",
    "/index.html, text/html",
    "/js/main.js, text/javascript",
    "/js/room-connection.js, text/javascript",
    "/css/app.css, text/css",
    "/favicon.svg, image/svg+xml"
  })
  void clientFilesCarryTheStrictPolicyAndAreRevalidated(String path, String type) {
    hasBaseHeaders(given().get(path).then().statusCode(200).contentType(startsWith(type)))
        .header("Content-Security-Policy", equalTo(SecurityHeaders.CSP))
        .header("X-Frame-Options", "DENY")
        .header("Cache-Control", "no-cache");
  }

  @Test
  void thePolicyAllowsNothingInlineAndNoOtherOrigin() {
    String csp = SecurityHeaders.CSP;
    for (String directive :
        new String[] {
          "default-src 'self'",
          "script-src 'self'",
          "style-src 'self'",
          "connect-src 'self'",
          "frame-ancestors 'none'",
          "require-trusted-types-for 'script'"
        }) {
      org.junit.jupiter.api.Assertions.assertTrue(csp.contains(directive), directive);
    }
    assertFalse(csp.contains("unsafe"), csp);
    assertFalse(csp.contains("http"), csp);
  }

  @Test
  void thePageHasNoInlineScriptOrStyle() {
    String html = given().get("/").then().statusCode(200).extract().asString();
    assertFalse(Pattern.compile("<script(?![^>]*\\bsrc=)").matcher(html).find(), html);
    assertFalse(Pattern.compile("<style|\\sstyle=|\\son[a-z]+=").matcher(html).find(), html);
  }

  @Test
  void apiAnswersCarryTheHeadersToo() {
    hasBaseHeaders(given().get("/api/v1/user/me").then().statusCode(401))
        .header("Content-Security-Policy", equalTo(SecurityHeaders.CSP))
        .header("Cache-Control", not(equalTo("no-cache")));
  }

  @Test
  void swaggerUiHasAPolicyThatAllowsExactlyItsOwnInlineScripts() {
    String html =
        hasBaseHeaders(given().get("/q/swagger-ui/").then().statusCode(200))
            .header("Content-Security-Policy", equalTo(SecurityHeaders.SWAGGER_UI_CSP))
            .header("X-Frame-Options", "DENY")
            .extract()
            .asString();
    // Hash what is served, as the browser will: a new Quarkus (or a quarkus.swagger-ui.* change)
    // that alters the page fails here, with the hashes to put in SecurityHeaders.
    List<String> served = SwaggerUiPage.inlineScriptHashes(html);
    assertEquals(2, served.size(), html);
    assertEquals(
        served,
        SecurityHeaders.SWAGGER_UI_SCRIPT_HASHES,
        "update SecurityHeaders.SWAGGER_UI_SCRIPT_HASHES to the hashes of the served page");
  }

  @Test
  void swaggerUiPolicyAllowsExactlyTheStyleElementItsCodeCreates() {
    String hashes = "";
    for (String file : new String[] {"swagger-ui-bundle.js", "swagger-ui-standalone-preset.js"}) {
      String js = given().get("/q/swagger-ui/" + file).then().statusCode(200).extract().asString();
      hashes += String.join(" ", SwaggerUiPage.styleElementHashes(js));
    }
    assertEquals(
        String.join(" ", SecurityHeaders.SWAGGER_UI_STYLE_HASHES),
        hashes,
        "update SecurityHeaders.SWAGGER_UI_STYLE_HASHES to the style elements Swagger UI creates");
  }

  @Test
  void theSwaggerUiPolicyForbidsFramingAndInlineCodeOtherThanItsOwn() {
    String csp = SecurityHeaders.SWAGGER_UI_CSP;
    for (String directive :
        new String[] {
          "default-src 'self'",
          "connect-src 'self'",
          "object-src 'none'",
          "base-uri 'none'",
          "frame-ancestors 'none'"
        }) {
      org.junit.jupiter.api.Assertions.assertTrue(csp.contains(directive), directive);
    }
    assertFalse(csp.contains("unsafe"), csp);
    assertFalse(csp.contains("http"), csp);
    assertFalse(csp.contains("*"), csp);
  }

  @ParameterizedTest
  @CsvSource({
    "/q/swagger-ui/swagger-ui-bundle.js, javascript",
    "/q/swagger-ui/swagger-ui.css, text/css"
  })
  void swaggerUiFilesCarryItsPolicyAndNosniff(String path, String type) {
    hasBaseHeaders(given().get(path).then().statusCode(200).contentType(containsString(type)))
        .header("Content-Security-Policy", equalTo(SecurityHeaders.SWAGGER_UI_CSP))
        .header("X-Frame-Options", "DENY");
  }

  @Test
  void theOpenApiDocumentNeedsNoPolicy() {
    hasBaseHeaders(given().get("/q/openapi").then().statusCode(200))
        .header("Content-Security-Policy", nullValue());
  }
}
