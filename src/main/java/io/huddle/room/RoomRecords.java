package io.huddle.room;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the room endpoints accept and answer. */
public final class RoomRecords {
  private RoomRecords() {}

  /** Longest room name, in code points. */
  static final int MAX_NAME_LENGTH = 100;

  /** What a room id may be. Not only dots: "." and ".." cannot be reached in a URL path. */
  static final String ROOM_ID_PATTERN = "^(?!\\.+$)[\\p{L}\\p{N} _.-]{1,64}$";

  private static final java.util.regex.Pattern ROOM_ID =
      java.util.regex.Pattern.compile(ROOM_ID_PATTERN);

  /** Whether a room with this id could exist (a NUL or a slash, for instance, never can). */
  static boolean possibleRoomId(String id) {
    return id != null && (ROOM_ID.matcher(id).matches() || DirectRoomId.parse(id).isPresent());
  }

  @Schema(name = "CreateRoomRequest")
  public record CreateRoomRequest(
      @Schema(examples = "general", description = "1-64 letters, digits, spaces, _ - or .")
          @NotNull(message = "id is required")
          @NotBlank(message = "id must not be blank")
          @Pattern(
              regexp = ROOM_ID_PATTERN,
              message =
                  "id must be 1-64 characters of letters, digits, spaces, _ - or . (not only dots)")
          String id,
      // No @Size: it counts UTF-16 units, so 51 emoji would be "more than 100 characters".
      // RoomService counts code points, as JSON Schema's maxLength does.
      @Schema(
              examples = "General chat",
              description =
                  "1-100 characters (Unicode code points: one emoji such as U+1F600 is one)",
              minLength = 1,
              maxLength = MAX_NAME_LENGTH)
          @NotNull(message = "name is required")
          @NotBlank(message = "name must not be blank")
          String name,
      @Schema(
              enumeration = {"public", "private"},
              defaultValue = "public",
              description =
                  "public: listed to, readable and joinable by every user (the Go server's only"
                      + " kind); private: all of that only to its members")
          String kind) {}

  @Schema(name = "Room")
  public record RoomResponse(
      @Schema(examples = "general") String id,
      @Schema(examples = "General chat") String name,
      @Schema(
              enumeration = {"private"},
              description =
                  "Only for a private room; absent for a public one, so the Go server's clients"
                      + " see what it sent")
          @JsonInclude(JsonInclude.Include.NON_NULL)
          String kind,
      @Schema(
              examples = "3",
              description =
                  "In GET /ws/getRooms only, for a room the caller belongs to or has marked read (PUT"
                      + " /rooms/{roomId}/read): the messages of other users after the caller's"
                      + " read marker, counted up to 100 (100 means 100 or more). Absent for a"
                      + " public room the caller has never marked read")
          @JsonInclude(JsonInclude.Include.NON_NULL)
          Integer unread,
      @Schema(
              description =
                  "true for a room its owner archived (history readable, no new messages or"
                      + " sockets); absent otherwise")
          @JsonInclude(JsonInclude.Include.NON_NULL)
          Boolean archived) {
    static RoomResponse of(Room room) {
      return of(room, null);
    }

    static RoomResponse of(Room room, Integer unread) {
      return new RoomResponse(
          room.id,
          room.name,
          room.kind == RoomKind.PRIVATE ? room.kind.wire() : null,
          unread,
          room.archivedAt != null ? Boolean.TRUE : null);
    }
  }

  @Schema(name = "RoomList")
  public record RoomList(
      @Schema(description = "Oldest first") List<RoomResponse> rooms,
      @Schema(
              description =
                  "Present when more rooms follow: pass it as `after` to get the next page")
          @JsonInclude(JsonInclude.Include.NON_NULL)
          String next) {}

  @Schema(name = "Client", description = "A user connected to a room")
  public record ClientResponse(
      @Schema(examples = "1") String id, @Schema(examples = "alice") String username) {}
}
