package io.huddle.room;

import io.huddle.auth.CurrentUser;
import io.huddle.chat.Hub;
import io.huddle.common.ErrorBody;
import io.huddle.common.OpenApiDefinition;
import io.huddle.room.RoomRecords.ClientResponse;
import io.huddle.room.RoomRecords.CreateRoomRequest;
import io.huddle.room.RoomRecords.RoomList;
import io.huddle.room.RoomRecords.RoomResponse;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The Go server's room routes, kept under /api/v1/ws for its clients. */
@Path("/api/v1/ws")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = OpenApiDefinition.BEARER)
@SecurityRequirement(name = OpenApiDefinition.COOKIE)
@Tag(name = "Rooms", description = "Create and list rooms; who is in a room")
@APIResponse(
    responseCode = "401",
    description = "No valid token",
    content = @Content(schema = @Schema(implementation = ErrorBody.class)))
public class RoomResource {
  private final RoomService rooms;
  private final CurrentUser currentUser;
  private final Hub hub;

  public RoomResource(RoomService rooms, CurrentUser currentUser, Hub hub) {
    this.rooms = rooms;
    this.currentUser = currentUser;
    this.hub = hub;
  }

  @POST
  @Path("/createRoom")
  @Operation(
      summary = "Create a room",
      description =
          "Public unless `kind` is `private`. The caller becomes the room's owner. The answer"
              + " for a public room is the Go server's `{id,name}`.")
  @APIResponse(
      responseCode = "201",
      description = "Created",
      content = @Content(schema = @Schema(implementation = RoomResponse.class)))
  @APIResponse(
      responseCode = "400",
      description = "Invalid id, name or kind (named in the error), or not exactly one JSON object",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "409",
      description = "A room with this id exists",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "429",
      description = "Too many rooms created by this user (see Retry-After)",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(
      responseCode = "415",
      description = "The body is not sent as application/json",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  public Response createRoom(CreateRoomRequest request) {
    return Response.status(201).entity(rooms.create(request, currentUser.require())).build();
  }

  @GET
  @Path("/getRooms")
  @Operation(
      summary = "List the rooms the caller may see, oldest first, a page at a time",
      description =
          "Every public room and the private rooms the caller is a member of. Without parameters"
              + " the first "
              + RoomService.DEFAULT_PAGE_SIZE
              + " rooms; when more follow, the answer carries `next`: send it as `after` for the"
              + " next page. `limit` sets the page size, at most "
              + RoomService.MAX_PAGE_SIZE
              + ".")
  @APIResponse(
      responseCode = "200",
      description = "The rooms",
      content = @Content(schema = @Schema(implementation = RoomList.class)))
  @APIResponse(
      responseCode = "400",
      description = "limit is not 1-500, or after is not a `next` value",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  public RoomList getRooms(
      @Parameter(
              description = "Page size, 1-500 (default 100)",
              schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500"))
          @QueryParam("limit")
          String limit,
      @Parameter(description = "The `next` of the previous page") @QueryParam("after")
          String after) {
    return rooms.list(currentUser.require(), limit, after);
  }

  @GET
  @Path("/get/{roomId}")
  @Operation(
      summary = "Users connected to a room now",
      description = "Each user once, however many connections it has; [] when nobody is there.")
  @APIResponse(
      responseCode = "200",
      description = "The connected users",
      content =
          @Content(
              schema = @Schema(type = SchemaType.ARRAY, implementation = ClientResponse.class)))
  @APIResponse(
      responseCode = "404",
      description =
          "Unknown room, or a private room the caller is not a member of (the same answer)",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  public List<ClientResponse> getClients(@PathParam("roomId") String roomId) {
    rooms.requireVisible(roomId, currentUser.require());
    return hub.clients(roomId);
  }
}
