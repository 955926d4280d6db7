package io.huddle.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * A server-to-client frame. Absent fields are left out of the JSON. {@code isDirect} is always
 * false on chat frames: the Go server's clients expect the field.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record ChatFrame(
    String type,
    String roomId,
    String userId,
    String username,
    String content,
    Instant sentAt,
    @JsonProperty("isDirect") Boolean isDirect,
    String error) {

  public static final String MESSAGE = "message";
  public static final String JOIN = "join";
  public static final String LEAVE = "leave";
  public static final String ERROR = "error";

  static ChatFrame message(String roomId, String userId, String username, String content) {
    return new ChatFrame(MESSAGE, roomId, userId, username, content, now(), false, null);
  }

  static ChatFrame join(String roomId, String userId, String username) {
    return new ChatFrame(
        JOIN, roomId, userId, username, "New user joined the room", now(), false, null);
  }

  static ChatFrame leave(String roomId, String userId, String username) {
    return new ChatFrame(
        LEAVE, roomId, userId, username, username + " has left the room", now(), false, null);
  }

  static ChatFrame error(String message) {
    return new ChatFrame(ERROR, null, null, null, null, null, null, message);
  }

  private static Instant now() {
    return Instant.ofEpochMilli(System.currentTimeMillis());
  }
}
