package io.huddle.chat;

import io.huddle.auth.CurrentUser;
import io.huddle.common.ErrorBody;
import io.huddle.common.OpenApiDefinition;
import io.huddle.common.QueryNumbers;
import io.huddle.message.MessageStore;
import io.huddle.moderation.ModerationService;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A room's stored messages, page by page. */
@Path("/api/v1/rooms/{roomId}/messages")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = OpenApiDefinition.BEARER)
@SecurityRequirement(name = OpenApiDefinition.COOKIE)
@Tag(name = "History", description = "Messages kept in PostgreSQL")
public class HistoryResource {
  static final int MAX_LIMIT = 500;
  static final int DEFAULT_LIMIT = 50;

  private final MessageStore store;
  private final ModerationService moderation;
  private final CurrentUser currentUser;

  public HistoryResource(
      MessageStore store, ModerationService moderation, CurrentUser currentUser) {
    this.store = store;
    this.moderation = moderation;
    this.currentUser = currentUser;
  }

  @Schema(name = "MessagePage")
  public record MessagePage(
      @Schema(description = "Oldest first") List<ChatFrame> messages,
      @Schema(description = "Whether more messages lie beyond this page in the paging direction")
          boolean hasMore) {}

  @GET
  @Operation(
      summary = "Page through a room's messages",
      description =
          "Without parameters: the newest `limit` messages. `before=S`: the `limit` messages just"
              + " before seq S (page backwards). `after=S`: the `limit` messages just after seq S"
              + " (page forwards, e.g. to catch up). Both: the messages between them. Each page is"
              + " oldest first. A page holds every row of the room's sequence: messages in their"
              + " current state (`editedAt`; `deleted: true` and no `content` once deleted) and the"
              + " `edit` / `delete` events, each at its own seq. An archived room's history stays"
              + " readable; a deleted room's is gone (404).")
  @APIResponse(
      responseCode = "200",
      description = "A page of messages",
      content = @Content(schema = @Schema(implementation = MessagePage.class)))
  @APIResponse(
      responseCode = "400",
      description = "A parameter is not a valid number or out of range",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "401",
      description = "No valid token",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "403",
      description = "The caller is banned from this public room",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "404",
      description =
          "Unknown room, or a private room the caller is not a member of (the same answer)",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  public MessagePage messages(
      @PathParam("roomId") String roomId,
      @Parameter(
              description = "Only messages with a smaller seq",
              schema = @Schema(type = SchemaType.INTEGER, minimum = "1"))
          @QueryParam("before")
          String before,
      @Parameter(
              description = "Only messages with a larger seq",
              schema = @Schema(type = SchemaType.INTEGER, minimum = "0"))
          @QueryParam("after")
          String after,
      @Parameter(
              description = "Page size, 1-500 (default 50)",
              schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500"))
          @QueryParam("limit")
          String limit) {
    Long beforeSeq = QueryNumbers.parse("before", before, 1, Long.MAX_VALUE);
    Long afterSeq = QueryNumbers.parse("after", after, 0, Long.MAX_VALUE);
    Long size = QueryNumbers.parse("limit", limit, 1, MAX_LIMIT);
    moderation.requireAdmitted(roomId, currentUser.require());
    MessageStore.Page page =
        store.page(roomId, beforeSeq, afterSeq, size == null ? DEFAULT_LIMIT : size.intValue());
    return new MessagePage(page.messages().stream().map(ChatFrame::of).toList(), page.hasMore());
  }
}
