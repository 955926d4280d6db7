package io.huddle.user;

import io.huddle.auth.AuthCookies;
import io.huddle.auth.CurrentUser;
import io.huddle.auth.RevocationService;
import io.huddle.common.ApiException;
import io.huddle.common.ClientAddress;
import io.huddle.common.ErrorBody;
import io.huddle.common.OpenApiDefinition;
import io.huddle.user.UserRecords.LoginRequest;
import io.huddle.user.UserRecords.LoginResponse;
import io.huddle.user.UserRecords.MessageResponse;
import io.huddle.user.UserRecords.SignupRequest;
import io.huddle.user.UserRecords.UserResponse;
import io.huddle.web.CrossSiteRequests;
import io.quarkus.security.Authenticated;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/user")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Users", description = "Sign up, log in, log out")
public class UserResource {
  private final UserService users;
  private final RevocationService revocations;
  private final AuthCookies cookies;
  private final CurrentUser currentUser;
  private final CrossSiteRequests crossSite;

  public UserResource(
      UserService users,
      RevocationService revocations,
      AuthCookies cookies,
      CurrentUser current,
      CrossSiteRequests crossSite) {
    this.users = users;
    this.revocations = revocations;
    this.cookies = cookies;
    this.currentUser = current;
    this.crossSite = crossSite;
  }

  @POST
  @Path("/signup")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Create an account")
  @APIResponse(
      responseCode = "201",
      description = "Created",
      content = @Content(schema = @Schema(implementation = UserResponse.class)))
  @APIResponse(
      responseCode = "400",
      description = "Invalid field (named in the error), or not exactly one JSON object",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "409",
      description = "Username or email taken",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "415",
      description = "The body is not sent as application/json",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "429",
      description = "Too many sign-ups from this address (see Retry-After)",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  public Response signup(SignupRequest request, @Context HttpServerRequest http) {
    return Response.status(201).entity(users.signup(request, ClientAddress.of(http))).build();
  }

  @POST
  @Path("/login")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Log in",
      description = "Answers the token and also sets it as the HttpOnly access_token cookie.")
  @APIResponse(
      responseCode = "200",
      description = "Logged in",
      content = @Content(schema = @Schema(implementation = LoginResponse.class)))
  @APIResponse(
      responseCode = "400",
      description = "Missing or invalid field, or not exactly one JSON object",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "401",
      description = "Unknown email or wrong password (same answer for both)",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "415",
      description = "The body is not sent as application/json",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "429",
      description =
          "Too many attempts from this address, or too many failures for this email, whether or"
              + " not it has an account (see Retry-After)",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  public Response login(LoginRequest request, @Context HttpServerRequest http) {
    UserService.Login login = users.login(request, ClientAddress.of(http));
    return Response.ok(login.body())
        .header(AuthCookies.HEADER, cookies.issue(login.token().token()))
        .build();
  }

  @GET
  @Path("/logout")
  @Operation(
      summary = "Log out",
      description =
          "Clears the cookie and revokes the presented token server-side until it expires."
              + " Answers 200 with or without a valid token; 403 when a browser sent it for"
              + " another site (Sec-Fetch-Site cross-site or same-site, or a foreign Origin).")
  @APIResponse(
      responseCode = "200",
      description = "Logged out",
      content = @Content(schema = @Schema(implementation = MessageResponse.class)))
  @APIResponse(
      responseCode = "403",
      description = "Sent by a browser from another site; nothing was revoked",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  public Response logoutGet(@Context HttpServerRequest request) {
    return logout(request);
  }

  @POST
  @Path("/logout")
  @Operation(summary = "Log out (POST form of the same call)")
  @APIResponse(
      responseCode = "200",
      description = "Logged out",
      content = @Content(schema = @Schema(implementation = MessageResponse.class)))
  @APIResponse(
      responseCode = "403",
      description = "Sent by a browser from another site; nothing was revoked",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "415",
      description = "A body that is not application/json",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  public Response logout(@Context HttpServerRequest request) {
    if (crossSite.evident(request)) {
      throw new ApiException(403, "Cross-site logout refused: log out from Huddle itself");
    }
    currentUser.tokenIfValid().ifPresent(revocations::revoke);
    return Response.ok(new MessageResponse("Successfully logged out"))
        .header(AuthCookies.HEADER, cookies.clear())
        .build();
  }

  @GET
  @Path("/me")
  @Authenticated
  @SecurityRequirement(name = OpenApiDefinition.BEARER)
  @SecurityRequirement(name = OpenApiDefinition.COOKIE)
  @Operation(summary = "The logged-in user")
  @APIResponse(
      responseCode = "200",
      description = "The user the token belongs to",
      content = @Content(schema = @Schema(implementation = UserResponse.class)))
  @APIResponse(
      responseCode = "401",
      description = "No valid token",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  public UserResponse me() {
    return users
        .findById(currentUser.require().id())
        .orElseThrow(() -> ApiException.unauthorized("The account of this token no longer exists"));
  }
}
