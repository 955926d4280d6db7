package io.huddle.room;

import io.huddle.auth.CurrentUser;
import io.huddle.common.ErrorBody;
import io.huddle.common.OpenApiDefinition;
import io.huddle.room.InvitationRecords.CreateRequest;
import io.huddle.room.InvitationRecords.Created;
import io.huddle.room.InvitationRecords.InvitationList;
import io.huddle.room.InvitationRecords.New;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A private room's invitation links, for its owner and admins. */
@Path("/api/v1/rooms/{roomId}/invitations")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = OpenApiDefinition.BEARER)
@SecurityRequirement(name = OpenApiDefinition.COOKIE)
@Tag(
    name = "Invitations",
    description =
        "Links that make whoever opens them a member of a private room, until they expire, are"
            + " used up or are revoked")
@APIResponse(
    responseCode = "401",
    description = "No valid token",
    content = @Content(schema = @Schema(implementation = ErrorBody.class)))
@APIResponse(
    responseCode = "403",
    description = "The caller is a member, but neither the owner nor an admin",
    content = @Content(schema = @Schema(implementation = ErrorBody.class)))
@APIResponse(
    responseCode = "404",
    description =
        "Unknown room, or a private room the caller is not a member of (the same answer); for"
            + " DELETE also an unknown link",
    content = @Content(schema = @Schema(implementation = ErrorBody.class)))
@APIResponse(
    responseCode = "409",
    description = "A public room (no invitation needed) or a direct conversation",
    content = @Content(schema = @Schema(implementation = ErrorBody.class)))
public class InvitationResource {
  private final InvitationService invitations;
  private final CurrentUser currentUser;

  public InvitationResource(InvitationService invitations, CurrentUser currentUser) {
    this.invitations = invitations;
    this.currentUser = currentUser;
  }

  @POST
  @Operation(
      summary = "Create an invitation link",
      description =
          "The code is shown in this answer only (the server keeps its hash). Anyone logged in"
              + " who has it can join the room until it expires or has been used maxUses times.")
  @APIResponse(
      responseCode = "201",
      description = "The link",
      content = @Content(schema = @Schema(implementation = Created.class)))
  @APIResponse(
      responseCode = "400",
      description = "expiresInSeconds missing or not 60-2592000, maxUses not 1-10000",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "415",
      description = "The body is not sent as application/json",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "429",
      description = "Too many invitations (links and by username) by this user (see Retry-After)",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  public Response create(
      @PathParam("roomId") String roomId, CreateRequest request, @Context UriInfo uri) {
    New link = invitations.create(roomId, request, currentUser.require());
    // The web client's page that accepts it, on the address this request came to.
    String url = uri.getBaseUri().resolve("#/invite/" + link.code()).toString();
    return Response.status(201)
        .entity(new Created(link.id(), link.code(), url, link.expiresAt(), link.maxUses()))
        .build();
  }

  @GET
  @Operation(summary = "The room's links that still work, newest first (without their codes)")
  @APIResponse(
      responseCode = "200",
      description = "The links",
      content = @Content(schema = @Schema(implementation = InvitationList.class)))
  public InvitationList list(@PathParam("roomId") String roomId) {
    return invitations.list(roomId, currentUser.require());
  }

  @DELETE
  @Path("/{invitationId}")
  @Operation(summary = "Revoke a link: it stops working at once")
  @APIResponse(responseCode = "204", description = "Revoked")
  public void revoke(
      @PathParam("roomId") String roomId, @PathParam("invitationId") String invitationId) {
    invitations.revoke(roomId, invitationId, currentUser.require());
  }
}
