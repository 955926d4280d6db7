package io.huddle.chat;

import io.huddle.auth.CurrentUser;
import io.huddle.common.ErrorBody;
import io.huddle.common.OpenApiDefinition;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Edits and deletes of one stored message; the room sees them as {@code edit}/{@code delete}. */
@Path("/api/v1/rooms/{roomId}/messages/{seq}")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = OpenApiDefinition.BEARER)
@SecurityRequirement(name = OpenApiDefinition.COOKIE)
@Tag(name = "History", description = "Messages kept in PostgreSQL")
@APIResponse(
    responseCode = "400",
    description = "seq is not a whole number of 1 or more, or the content breaks the message rules",
    content = @Content(schema = @Schema(implementation = ErrorBody.class)))
@APIResponse(
    responseCode = "401",
    description = "No valid token",
    content = @Content(schema = @Schema(implementation = ErrorBody.class)))
@APIResponse(
    responseCode = "403",
    description =
        "The message is someone else's (for a delete: and the caller is not the room's owner or an"
            + " admin), or the caller is muted in the room or banned from this public room",
    content = @Content(schema = @Schema(implementation = ErrorBody.class)))
@APIResponse(
    responseCode = "404",
    description =
        "Unknown room, a private room the caller is not a member of, or no message with this seq",
    content = @Content(schema = @Schema(implementation = ErrorBody.class)))
@APIResponse(
    responseCode = "409",
    description =
        "The message is deleted, the seq is an edit or delete event, or the room is archived",
    content = @Content(schema = @Schema(implementation = ErrorBody.class)))
@APIResponse(
    responseCode = "429",
    description = "Over the user's message rate (huddle.limits.messages-per-user)",
    content = @Content(schema = @Schema(implementation = ErrorBody.class)))
@APIResponse(
    responseCode = "503",
    description = "The database is unavailable or the server busy: nothing was changed",
    content = @Content(schema = @Schema(implementation = ErrorBody.class)))
public class MessageChangeResource {
  private final MessageChanges changes;
  private final CurrentUser currentUser;

  public MessageChangeResource(MessageChanges changes, CurrentUser currentUser) {
    this.changes = changes;
    this.currentUser = currentUser;
  }

  @Schema(name = "EditRequest")
  public record EditRequest(
      @Schema(
              description = "The new text, under the same rules as a message's",
              examples = "hello, corrected",
              required = true)
          String content) {}

  @PATCH
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Edit your message",
      description =
          "Replaces the text of the caller's own message. The edit is itself a row of the room's"
              + " sequence: the room gets an `edit` frame with the next seq, and the message keeps"
              + " its seq with `editedAt` and the new text. Answers that `edit` event.")
  @APIResponse(
      responseCode = "200",
      description = "The edit event",
      content = @Content(schema = @Schema(implementation = ChatFrame.class)))
  public ChatFrame edit(
      @PathParam("roomId") String roomId,
      @Parameter(
              description = "The message's seq",
              schema = @Schema(type = SchemaType.INTEGER, minimum = "1"))
          @PathParam("seq")
          String seq,
      EditRequest request) {
    return changes.edit(
        roomId, seq, request == null ? null : request.content(), currentUser.require());
  }

  @DELETE
  @Operation(
      summary = "Delete a message",
      description =
          "Deletes the caller's own message, or any message of a room the caller owns or"
              + " administers. The text is removed from storage; the message keeps its seq with"
              + " `deleted: true`, and the room gets a `delete` frame with the next seq. Answers"
              + " that `delete` event.")
  @APIResponse(
      responseCode = "200",
      description = "The delete event",
      content = @Content(schema = @Schema(implementation = ChatFrame.class)))
  public ChatFrame delete(
      @PathParam("roomId") String roomId,
      @Parameter(
              description = "The message's seq",
              schema = @Schema(type = SchemaType.INTEGER, minimum = "1"))
          @PathParam("seq")
          String seq) {
    return changes.delete(roomId, seq, currentUser.require());
  }
}
