package io.huddle.common;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.security.SecuritySchemes;

/** Security schemes shared by the API description: the same JWT as a bearer header or cookie. */
@OpenAPIDefinition(info = @Info(title = "Huddle API", version = "1.0"))
@SecuritySchemes({
  @SecurityScheme(
      securitySchemeName = OpenApiDefinition.BEARER,
      type = SecuritySchemeType.HTTP,
      scheme = "bearer",
      bearerFormat = "JWT",
      description = "The accessToken returned by POST /api/v1/user/login"),
  @SecurityScheme(
      securitySchemeName = OpenApiDefinition.COOKIE,
      type = SecuritySchemeType.APIKEY,
      in = SecuritySchemeIn.COOKIE,
      apiKeyName = "access_token",
      description = "The HttpOnly cookie set by POST /api/v1/user/login")
})
public class OpenApiDefinition extends Application {
  public static final String BEARER = "bearer";
  public static final String COOKIE = "cookie";
}
