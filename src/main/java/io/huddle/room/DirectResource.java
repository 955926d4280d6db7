package io.huddle.room;

import io.huddle.auth.CurrentUser;
import io.huddle.common.ErrorBody;
import io.huddle.common.OpenApiDefinition;
import io.huddle.room.DirectRecords.Conversation;
import io.huddle.room.DirectRecords.ConversationList;
import io.huddle.room.DirectRecords.StartRequest;
import io.huddle.room.DirectRecords.Started;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
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

/** Direct conversations between two users. */
@Path("/api/v1/dms")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = OpenApiDefinition.BEARER)
@SecurityRequirement(name = OpenApiDefinition.COOKIE)
@Tag(
    name = "Direct messages",
    description =
        "A direct conversation is a room of kind `direct` with exactly two members; chat in it"
            + " through its room socket and history like any room")
@APIResponse(
    responseCode = "401",
    description = "No valid token",
    content = @Content(schema = @Schema(implementation = ErrorBody.class)))
public class DirectResource {
  private final DirectService directs;
  private final CurrentUser currentUser;

  public DirectResource(DirectService directs, CurrentUser currentUser) {
    this.directs = directs;
    this.currentUser = currentUser;
  }

  @POST
  @Operation(
      summary = "Start (or open) the direct conversation with a user",
      description =
          "Idempotent: the caller and the named user have one conversation, whoever asks first"
              + " and however often.")
  @APIResponse(
      responseCode = "201",
      description = "Started by this request",
      content = @Content(schema = @Schema(implementation = Conversation.class)))
  @APIResponse(
      responseCode = "200",
      description = "It already existed",
      content = @Content(schema = @Schema(implementation = Conversation.class)))
  @APIResponse(
      responseCode = "400",
      description = "No or an invalid username, the caller's own, or not exactly one JSON object",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "404",
      description = "No user has this username",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "415",
      description = "The body is not sent as application/json",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "429",
      description =
          "Too many conversations started (or unknown usernames tried) by this user (see"
              + " Retry-After)",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  public Response start(StartRequest request) {
    Started started = directs.start(request, currentUser.require());
    return Response.status(started.created() ? 201 : 200).entity(started.conversation()).build();
  }

  @GET
  @Operation(
      summary = "The caller's direct conversations, newest activity first, a page at a time",
      description =
          "Each with the other user and the last message. Without parameters the first "
              + DirectService.DEFAULT_PAGE_SIZE
              + "; when more follow, the answer carries `next`: send it as `after` for the next"
              + " page. `limit` sets the page size, at most "
              + DirectService.MAX_PAGE_SIZE
              + ".")
  @APIResponse(
      responseCode = "200",
      description = "The conversations",
      content = @Content(schema = @Schema(implementation = ConversationList.class)))
  @APIResponse(
      responseCode = "400",
      description = "limit is not 1-200, or after is not a `next` value",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  public ConversationList list(
      @Parameter(
              description = "Page size, 1-200 (default 50)",
              schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "200"))
          @QueryParam("limit")
          String limit,
      @Parameter(description = "The `next` of the previous page") @QueryParam("after")
          String after) {
    return directs.list(currentUser.require(), limit, after);
  }
}
