package io.huddle.room;

import io.huddle.auth.CurrentUser;
import io.huddle.chat.Hub;
import io.huddle.common.ApiException;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
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
  @Operation(summary = "Create a room")
  @APIResponse(
      responseCode = "201",
      description = "Created",
      content = @Content(schema = @Schema(implementation = RoomResponse.class)))
  @APIResponse(
      responseCode = "400",
      description = "Invalid id or name (named in the error), or not exactly one JSON object",
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
  @Operation(summary = "List every room, oldest first")
  @APIResponse(
      responseCode = "200",
      description = "The rooms",
      content = @Content(schema = @Schema(implementation = RoomList.class)))
  public RoomList getRooms() {
    return new RoomList(rooms.list());
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
      description = "Unknown room",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  public List<ClientResponse> getClients(@PathParam("roomId") String roomId) {
    if (!rooms.exists(roomId)) {
      throw ApiException.notFound("Room '" + roomId + "' does not exist");
    }
    return hub.clients(roomId);
  }
}
