package io.huddle.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.huddle.message.StoredMessage;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A server-to-client frame; also the shape of a message in REST history pages. Absent fields are
 * left out of the JSON. {@code isDirect} is always false on chat frames: the Go server's clients
 * expect the field.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "roomId", "seq", "userId", "username", "content", "sentAt"})
@RegisterForReflection
@Schema(name = "ChatMessage")
public record ChatFrame(
    @Schema(examples = "message") String type,
    @Schema(examples = "general") String roomId,
    @Schema(description = "The room's sequence number: gapless, increasing", examples = "42")
        Long seq,
    @Schema(examples = "1") String userId,
    @Schema(examples = "alice") String username,
    @Schema(examples = "hello") String content,
    Instant sentAt,
    @JsonProperty("isDirect") @Schema(examples = "false") Boolean isDirect,
    @Schema(hidden = true) String clientId,
    @Schema(hidden = true) String error,
    @Schema(hidden = true) List<ChatFrame> messages,
    @Schema(hidden = true) Boolean truncated,
    @Schema(hidden = true) Boolean duplicate,
    @Schema(hidden = true) Long retryAfterMs,
    @Schema(hidden = true) Instant expiresAt) {

  public static final String MESSAGE = "message";
  public static final String JOIN = "join";
  public static final String LEAVE = "leave";
  public static final String ERROR = "error";
  public static final String ACK = "ack";
  public static final String HISTORY = "history";
  public static final String REFRESH = "refresh";
  public static final String REFRESHED = "refreshed";

  public static ChatFrame message(StoredMessage m) {
    return new ChatFrame(
        MESSAGE,
        m.roomId(),
        m.seq(),
        String.valueOf(m.userId()),
        m.username(),
        m.content(),
        m.sentAt(),
        false,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  static ChatFrame join(String roomId, String userId, String username) {
    return presence(JOIN, roomId, userId, username, "New user joined the room");
  }

  public static ChatFrame leave(String roomId, String userId, String username) {
    return presence(LEAVE, roomId, userId, username, username + " has left the room");
  }

  private static ChatFrame presence(
      String type, String roomId, String userId, String username, String content) {
    return new ChatFrame(
        type, roomId, null, userId, username, content, now(), false, null, null, null, null, null,
        null, null);
  }

  static ChatFrame ack(String roomId, String clientId, long seq, boolean duplicate) {
    return new ChatFrame(
        ACK,
        roomId,
        seq,
        null,
        null,
        null,
        null,
        null,
        clientId,
        null,
        null,
        null,
        duplicate ? Boolean.TRUE : null,
        null,
        null);
  }

  static ChatFrame history(String roomId, List<ChatFrame> messages, Boolean truncated) {
    return new ChatFrame(
        HISTORY, roomId, null, null, null, null, null, null, null, null, messages, truncated, null,
        null, null);
  }

  static ChatFrame error(String clientId, String message) {
    return new ChatFrame(
        ERROR, null, null, null, null, null, null, null, clientId, message, null, null, null, null,
        null);
  }

  /** A message refused by a rate limit: the client may send it again after {@code retryAfterMs}. */
  static ChatFrame rateLimited(String clientId, long retryAfterMs) {
    return new ChatFrame(
        ERROR,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        clientId,
        "Too many messages: slow down and send it again in " + retryAfterMs + " ms",
        null,
        null,
        null,
        retryAfterMs,
        null);
  }

  /** Between nodes only: the sessions of this token id end (logout). */
  static ChatFrame sessionEnd(String jti) {
    return new ChatFrame(
        Sessions.SESSION_END,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        jti,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** The socket's session now runs on the token the client presented, until this instant. */
  static ChatFrame refreshed(Instant expiresAt) {
    return new ChatFrame(
        REFRESHED, null, null, null, null, null, null, null, null, null, null, null, null, null,
        expiresAt);
  }

  static ChatFrame error(String message) {
    return error(null, message);
  }

  static Instant now() {
    return Instant.ofEpochMilli(System.currentTimeMillis());
  }
}
