package io.huddle.moderation;

import io.huddle.auth.CurrentUser;
import io.huddle.common.ErrorBody;
import io.huddle.common.OpenApiDefinition;
import io.huddle.moderation.ModerationRecords.BanList;
import io.huddle.moderation.ModerationRecords.BanRequest;
import io.huddle.moderation.ModerationRecords.BanResponse;
import io.huddle.moderation.ModerationRecords.EntryPage;
import io.huddle.moderation.ModerationRecords.KickRequest;
import io.huddle.moderation.ModerationRecords.MuteRequest;
import io.huddle.moderation.ModerationRecords.MuteResponse;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Kick, ban, mute, archive and delete: the owner's and admins' tools. */
@Path("/api/v1/rooms/{roomId}")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = OpenApiDefinition.BEARER)
@SecurityRequirement(name = OpenApiDefinition.COOKIE)
@Tag(
    name = "Moderation",
    description =
        "The owner acts on admins and members, an admin on members (and visitors of a public"
            + " room) only; nobody on themselves or on the owner. Each action is announced to the"
            + " room's sockets as a moderation frame and kept in the room's audit log. Direct"
            + " conversations have no moderators (409).")
@APIResponse(
    responseCode = "401",
    description = "No valid token",
    content = @Content(schema = @Schema(implementation = ErrorBody.class)))
@APIResponse(
    responseCode = "403",
    description =
        "The caller is neither the owner nor an admin (owner only: archive, delete), an admin"
            + " acting on an admin, or the target is the owner",
    content = @Content(schema = @Schema(implementation = ErrorBody.class)))
@APIResponse(
    responseCode = "404",
    description =
        "Unknown room, or a private room the caller is not a member of (the same answer); or, as"
            + " the error says, the user, ban or mute named",
    content = @Content(schema = @Schema(implementation = ErrorBody.class)))
@APIResponse(
    responseCode = "429",
    description = "Too many moderation actions by this user (see Retry-After)",
    content = @Content(schema = @Schema(implementation = ErrorBody.class)))
public class ModerationResource {
  private final ModerationService moderation;
  private final RoomClosing closing;
  private final ModerationLog log;
  private final CurrentUser currentUser;

  public ModerationResource(
      ModerationService moderation,
      RoomClosing closing,
      ModerationLog log,
      CurrentUser currentUser) {
    this.moderation = moderation;
    this.closing = closing;
    this.log = log;
    this.currentUser = currentUser;
  }

  @POST
  @Path("/kicks")
  @Operation(
      summary = "Kick a user: close its sockets in this room",
      description =
          "Every socket of the user in this room closes on every replica with 4006 \"Kicked from"
              + " the room\"; its sockets in other rooms stay open. Nothing else changes: a member"
              + " stays a member and may connect again (ban to keep someone out).")
  @APIResponse(responseCode = "204", description = "Kicked (also when it had no socket open)")
  @APIResponse(
      responseCode = "400",
      description = "userId missing or not a user id, or not exactly one JSON object",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "409",
      description = "The target is the caller, or the room is archived",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  public Response kick(@PathParam("roomId") String roomId, KickRequest request) {
    moderation.kick(roomId, request, currentUser.require());
    return Response.noContent().build();
  }

  @POST
  @Path("/bans")
  @Operation(
      summary = "Ban a user from this room",
      description =
          "A kick with 4007 \"Banned from the room\", and until it is unbanned the user's"
              + " handshakes are refused (403 for a public room; 404 for a private room, whose"
              + " membership the ban also ends) and so are its history requests. A mute it had"
              + " ends.")
  @APIResponse(
      responseCode = "201",
      description = "The ban",
      content = @Content(schema = @Schema(implementation = BanResponse.class)))
  @APIResponse(
      responseCode = "400",
      description = "userId missing or not a user id, reason over 500 characters",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "409",
      description = "The target is the caller, or banned already",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  public Response ban(@PathParam("roomId") String roomId, BanRequest request) {
    return Response.status(201)
        .entity(moderation.ban(roomId, request, currentUser.require()))
        .build();
  }

  @GET
  @Path("/bans")
  @Operation(summary = "The room's bans (owner or admin)")
  @APIResponse(
      responseCode = "200",
      description = "The bans, newest first",
      content = @Content(schema = @Schema(implementation = BanList.class)))
  public BanList bans(@PathParam("roomId") String roomId) {
    return moderation.bans(roomId, currentUser.require());
  }

  @DELETE
  @Path("/bans/{userId}")
  @Operation(
      summary = "Lift a ban",
      description = "A private room's former member must be invited again.")
  @APIResponse(responseCode = "204", description = "Unbanned")
  @APIResponse(
      responseCode = "400",
      description = "userId is not a user id",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "409",
      description = "The target is the caller",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  public Response unban(@PathParam("roomId") String roomId, @PathParam("userId") String userId) {
    moderation.unban(roomId, userId, currentUser.require());
    return Response.noContent().build();
  }

  @POST
  @Path("/mutes")
  @Operation(
      summary = "Mute a user in this room for a while",
      description =
          "Until the mute ends (by itself, or with DELETE .../mutes/{userId}) the user's messages"
              + " and typing signals in this room are answered with an error frame \"You are"
              + " muted in this room until …\" on every replica and reach nobody. It may still"
              + " read. A new mute replaces the one it has.")
  @APIResponse(
      responseCode = "200",
      description = "The mute",
      content = @Content(schema = @Schema(implementation = MuteResponse.class)))
  @APIResponse(
      responseCode = "400",
      description = "userId missing or not a user id, durationSeconds missing or out of range",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "409",
      description = "The target is the caller, or the room is archived",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  public MuteResponse mute(@PathParam("roomId") String roomId, MuteRequest request) {
    return moderation.mute(roomId, request, currentUser.require());
  }

  @DELETE
  @Path("/mutes/{userId}")
  @Operation(summary = "End a mute before its time")
  @APIResponse(responseCode = "204", description = "Unmuted")
  @APIResponse(
      responseCode = "400",
      description = "userId is not a user id",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  public Response unmute(@PathParam("roomId") String roomId, @PathParam("userId") String userId) {
    moderation.unmute(roomId, userId, currentUser.require());
    return Response.noContent().build();
  }

  @POST
  @Path("/archive")
  @Consumes(MediaType.WILDCARD)
  @Operation(
      summary = "Archive the room (owner only)",
      description =
          "Every socket in the room closes on every replica with 4008 \"Room archived\". The"
              + " history stays readable (GET .../messages) and the room stays listed with"
              + " \"archived\": true, but it takes no new socket (the handshake gets 410) and no"
              + " new message. There is no un-archive.")
  @APIResponse(responseCode = "204", description = "Archived")
  @APIResponse(
      responseCode = "409",
      description = "Archived already",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  public Response archive(@PathParam("roomId") String roomId) {
    closing.archive(roomId, currentUser.require());
    return Response.noContent().build();
  }

  @DELETE
  @Consumes(MediaType.WILDCARD)
  @Operation(
      summary = "Delete the room (owner only)",
      description =
          "Every socket in the room closes on every replica with 4009 \"Room deleted\"; its"
              + " messages, members, bans and mutes are removed, and every request about it then"
              + " gets 404. The audit log keeps the deletion.")
  @APIResponse(responseCode = "204", description = "Deleted")
  public Response delete(@PathParam("roomId") String roomId) {
    closing.delete(roomId, currentUser.require());
    return Response.noContent().build();
  }

  @GET
  @Path("/moderation")
  @Operation(summary = "The room's audit log of moderation actions, newest first (owner or admin)")
  @APIResponse(
      responseCode = "200",
      description = "A page of the log",
      content = @Content(schema = @Schema(implementation = EntryPage.class)))
  @APIResponse(
      responseCode = "400",
      description = "limit or before is not a valid number or out of range",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  public EntryPage moderationLog(
      @PathParam("roomId") String roomId,
      @Parameter(
              description = "Page size, 1-200 (default 50)",
              schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "200"))
          @QueryParam("limit")
          String limit,
      @Parameter(
              description = "The `next` of the previous page",
              schema = @Schema(type = SchemaType.STRING))
          @QueryParam("before")
          String before) {
    return log.page(roomId, currentUser.require(), limit, before);
  }
}
