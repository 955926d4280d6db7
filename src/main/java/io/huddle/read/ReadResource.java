package io.huddle.read;

import io.huddle.auth.CurrentUser;
import io.huddle.common.ErrorBody;
import io.huddle.common.OpenApiDefinition;
import io.huddle.read.ReadRecords.MarkRequest;
import io.huddle.read.ReadRecords.ReadMarker;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The caller's read marker in a room. */
@Path("/api/v1/rooms/{roomId}/read")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = OpenApiDefinition.BEARER)
@SecurityRequirement(name = OpenApiDefinition.COOKIE)
@Tag(
    name = "Read state",
    description =
        "How far the caller has read each room (rooms and direct conversations alike), synced to"
            + " the caller's other devices by `read` frames")
@APIResponse(
    responseCode = "401",
    description = "No valid token",
    content = @Content(schema = @Schema(implementation = ErrorBody.class)))
@APIResponse(
    responseCode = "404",
    description =
        "Unknown room, or a private room or direct conversation the caller is not a member of"
            + " (the same answer)",
    content = @Content(schema = @Schema(implementation = ErrorBody.class)))
public class ReadResource {
  private final ReadService reads;
  private final CurrentUser currentUser;

  public ReadResource(ReadService reads, CurrentUser currentUser) {
    this.reads = reads;
    this.currentUser = currentUser;
  }

  @GET
  @Operation(
      summary = "The caller's read marker in the room",
      description =
          "seq 0 and no updatedAt when the caller never marked the room; unread counts the"
              + " messages of others after seq, at most "
              + UnreadCounts.CAP
              + " (meaning that many or more).")
  @APIResponse(
      responseCode = "200",
      description = "The marker",
      content = @Content(schema = @Schema(implementation = ReadMarker.class)))
  public ReadMarker get(@PathParam("roomId") String roomId) {
    return reads.get(roomId, currentUser.require());
  }

  @PUT
  @Operation(
      summary = "Mark the room read up to a seq",
      description =
          "Forward only: a seq at or below the current marker changes nothing and answers the"
              + " current marker. When the marker moves, every socket of the caller (in any room,"
              + " on every replica) gets a `read` frame, and in a direct conversation so do the"
              + " other user's sockets (a read receipt).")
  @APIResponse(
      responseCode = "200",
      description = "The marker as it now is",
      content = @Content(schema = @Schema(implementation = ReadMarker.class)))
  @APIResponse(
      responseCode = "400",
      description =
          "No body, no or a negative seq, or a seq above the room's last seq (never sent yet)",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "415",
      description = "The body is not sent as application/json",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "429",
      description = "Too many marker updates by this user (see Retry-After)",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  public ReadMarker mark(@PathParam("roomId") String roomId, MarkRequest request) {
    return reads.mark(roomId, request, currentUser.require());
  }
}
