package io.huddle.room;

import io.huddle.auth.CurrentUser;
import io.huddle.common.ErrorBody;
import io.huddle.common.OpenApiDefinition;
import io.huddle.room.MemberRecords.InviteRequest;
import io.huddle.room.MemberRecords.MemberList;
import io.huddle.room.MemberRecords.MemberResponse;
import io.huddle.room.MemberRecords.RoleRequest;
import io.huddle.room.MemberRecords.TransferRequest;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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

/** A room's members and their roles. */
@Path("/api/v1/rooms/{roomId}")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = OpenApiDefinition.BEARER)
@SecurityRequirement(name = OpenApiDefinition.COOKIE)
@Tag(
    name = "Members",
    description =
        "Owner, admins and members of a room. A private room is a 404 to anyone who is not a"
            + " member, on these routes as everywhere.")
@APIResponse(
    responseCode = "401",
    description = "No valid token",
    content = @Content(schema = @Schema(implementation = ErrorBody.class)))
@APIResponse(
    responseCode = "404",
    description =
        "Unknown room, or a private room the caller is not a member of (the same answer); or,"
            + " as the error says, the user or membership named",
    content = @Content(schema = @Schema(implementation = ErrorBody.class)))
public class MembershipResource {
  private final MembershipService members;
  private final CurrentUser currentUser;

  public MembershipResource(MembershipService members, CurrentUser currentUser) {
    this.members = members;
    this.currentUser = currentUser;
  }

  @GET
  @Path("/members")
  @Operation(
      summary = "The room's members with their roles",
      description =
          "A public room lists its owner and the users invited or promoted there: opening a"
              + " socket to a public room makes nobody a member.")
  @APIResponse(
      responseCode = "200",
      description = "The members",
      content = @Content(schema = @Schema(implementation = MemberList.class)))
  public MemberList list(@PathParam("roomId") String roomId) {
    return members.members(roomId, currentUser.require());
  }

  @POST
  @Path("/members")
  @Operation(
      summary = "Invite a user by username (owner or admin)",
      description = "The user becomes a member at once, with the role member.")
  @APIResponse(
      responseCode = "201",
      description = "The new member",
      content = @Content(schema = @Schema(implementation = MemberResponse.class)))
  @APIResponse(
      responseCode = "400",
      description = "username missing or invalid, or not exactly one JSON object",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "403",
      description = "The caller is neither the owner nor an admin of the room",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "409",
      description = "The user is a member already",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "415",
      description = "The body is not sent as application/json",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "429",
      description = "Too many invitations sent by this user (see Retry-After)",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  public Response invite(@PathParam("roomId") String roomId, InviteRequest request) {
    return Response.status(201)
        .entity(members.invite(roomId, request, currentUser.require()))
        .build();
  }

  @DELETE
  @Path("/members/me")
  @Operation(
      summary = "Leave the room",
      description =
          "Any member may leave, except the owner, who must transfer the ownership first. In a"
              + " private room the caller's sockets there close on every replica with 4005 \"Left"
              + " the room\" and the next handshake gets 404; in a public room they stay open.")
  @APIResponse(responseCode = "204", description = "Left")
  @APIResponse(
      responseCode = "409",
      description = "The caller owns the room",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  public Response leave(@PathParam("roomId") String roomId) {
    members.leave(roomId, currentUser.require());
    return Response.noContent().build();
  }

  @DELETE
  @Path("/members/{userId}")
  @Operation(
      summary = "Remove a member (owner: admins and members; admin: members)",
      description =
          "The user's sockets in this room are closed on every replica with 4004 \"Removed from"
              + " the room\"; its sockets in other rooms stay open. A private room is then a 404 to"
              + " it; a public room may be joined again (there is no ban yet).")
  @APIResponse(responseCode = "204", description = "Removed")
  @APIResponse(
      responseCode = "400",
      description = "userId is not a user id",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "403",
      description =
          "The caller is neither the owner nor an admin, an admin removing an admin, or the"
              + " target is the owner",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "409",
      description = "The target is the caller (use DELETE .../members/me)",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  public Response remove(@PathParam("roomId") String roomId, @PathParam("userId") String userId) {
    members.remove(roomId, userId, currentUser.require());
    return Response.noContent().build();
  }

  @PUT
  @Path("/owner")
  @Operation(
      summary = "Transfer the ownership to another member (owner only)",
      description = "The new owner must be a member already; the old owner becomes an admin.")
  @APIResponse(
      responseCode = "200",
      description = "The members afterwards",
      content = @Content(schema = @Schema(implementation = MemberList.class)))
  @APIResponse(
      responseCode = "400",
      description = "userId missing or not a user id",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "403",
      description = "The caller is not the owner",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "409",
      description = "The user is not a member, or is the caller",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "415",
      description = "The body is not sent as application/json",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  public MemberList transfer(@PathParam("roomId") String roomId, TransferRequest request) {
    return members.transfer(roomId, request, currentUser.require());
  }

  @PUT
  @Path("/members/{userId}/role")
  @Operation(summary = "Make a member an admin, or an admin a member (owner only)")
  @APIResponse(
      responseCode = "200",
      description = "The member with its new role",
      content = @Content(schema = @Schema(implementation = MemberResponse.class)))
  @APIResponse(
      responseCode = "400",
      description = "role is not admin or member, or userId is not a user id",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "403",
      description = "The caller is not the owner",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "409",
      description = "The user is the owner (ownership moves with PUT .../owner)",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "415",
      description = "The body is not sent as application/json",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  public MemberResponse changeRole(
      @PathParam("roomId") String roomId, @PathParam("userId") String userId, RoleRequest request) {
    return members.changeRole(roomId, userId, request, currentUser.require());
  }
}
