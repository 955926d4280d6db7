package io.huddle.room;

import io.huddle.common.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Where a page of getRooms ends: the last room's creation time and id, the order of the list (the
 * direct conversations' list uses it with their last activity instead). Opaque to clients
 * (base64url of "micros:id"), and never looked up: a cursor naming a room the caller may not see
 * tells nothing about it.
 */
record RoomCursor(Instant createdAt, String id) {
  private static final String INVALID = "after must be the next value of a getRooms answer";

  static RoomCursor after(Room room) {
    return new RoomCursor(room.createdAt, room.id);
  }

  String encode() {
    long micros = createdAt.getEpochSecond() * 1_000_000L + createdAt.getNano() / 1_000;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((micros + ":" + id).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @throws ApiException 400 when the text is not a cursor this class wrote
   */
  static RoomCursor decode(String text) {
    return decode(text, INVALID);
  }

  /** {@link #decode(String)}, with the 400's sentence for another list. */
  static RoomCursor decode(String text, String invalid) {
    try {
      String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
      int colon = plain.indexOf(':');
      String id = plain.substring(colon + 1);
      if (colon < 1 || !RoomRecords.possibleRoomId(id)) {
        throw ApiException.badRequest(invalid);
      }
      long micros = Long.parseLong(plain.substring(0, colon));
      return new RoomCursor(
          Instant.ofEpochSecond(
              Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L),
          id);
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      // Not base64, not a number, or a time out of range.
      throw ApiException.badRequest(invalid);
    }
  }
}
