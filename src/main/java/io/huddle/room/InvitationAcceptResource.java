package io.huddle.room;

import io.huddle.auth.CurrentUser;
import io.huddle.common.ErrorBody;
import io.huddle.common.OpenApiDefinition;
import io.huddle.room.InvitationRecords.Acceptance;
import io.huddle.room.InvitationRecords.Accepted;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Accepting an invitation link. */
@Path("/api/v1/invitations")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = OpenApiDefinition.BEARER)
@SecurityRequirement(name = OpenApiDefinition.COOKIE)
@Tag(name = "Invitations")
public class InvitationAcceptResource {
  private final InvitationService invitations;
  private final CurrentUser currentUser;

  public InvitationAcceptResource(InvitationService invitations, CurrentUser currentUser) {
    this.invitations = invitations;
    this.currentUser = currentUser;
  }

  @POST
  @Path("/{code}/accept")
  @Operation(
      summary = "Join the room of an invitation link",
      description = "No body. One use of the link, unless the caller already is a member.")
  @APIResponse(
      responseCode = "201",
      description = "The caller is now a member",
      content = @Content(schema = @Schema(implementation = Accepted.class)))
  @APIResponse(
      responseCode = "200",
      description = "The caller already was a member (no use taken)",
      content = @Content(schema = @Schema(implementation = Accepted.class)))
  @APIResponse(
      responseCode = "401",
      description = "No valid token",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "403",
      description = "The caller is banned from the link's room",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "404",
      description =
          "The link does not work: unknown, expired, revoked or used up (one answer for all)",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "429",
      description = "Too many links tried by this user (see Retry-After)",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  public Response accept(@PathParam("code") String code) {
    Acceptance acceptance = invitations.accept(code, currentUser.require());
    return Response.status(acceptance.joined() ? 201 : 200).entity(acceptance.accepted()).build();
  }
}
