package io.huddle.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.huddle.message.StoredMessage;
import io.huddle.moderation.Moderated;
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
@JsonPropertyOrder({
  "type",
  "roomId",
  "seq",
  "targetSeq",
  "userId",
  "username",
  "content",
  "sentAt",
  "editedAt",
  "deleted"
})
@RegisterForReflection
@Schema(name = "ChatMessage")
public record ChatFrame(
    @Schema(
            description =
                "`message`, an `edit` / `delete` event of the message `targetSeq`, or a"
                    + " `moderation` event (`action`); every event has a seq of its own",
            enumeration = {"message", "edit", "delete", "moderation"},
            examples = "message")
        String type,
    @Schema(examples = "general") String roomId,
    @Schema(description = "The room's sequence number: gapless, increasing", examples = "42")
        Long seq,
    @Schema(description = "Edit and delete events: the seq of the message changed", examples = "41")
        Long targetSeq,
    @Schema(
            description =
                "Who wrote the message, or who made the edit or delete (an owner or admin may"
                    + " delete others' messages); a moderation event: the user it concerns (absent"
                    + " for archive)",
            examples = "1")
        String userId,
    @Schema(examples = "alice") String username,
    @Schema(
            description =
                "The message's current text; an edit event: the text it set. Absent once the"
                    + " message is deleted, and on delete events",
            examples = "hello")
        String content,
    @Schema(description = "When the message (or the event) was stored") Instant sentAt,
    @Schema(description = "A message: when it was last edited; an edit event: when it was made")
        Instant editedAt,
    @Schema(description = "A message: true once deleted (its text is gone)") Boolean deleted,
    @JsonProperty("isDirect") @Schema(examples = "false") Boolean isDirect,
    @Schema(hidden = true) String clientId,
    @Schema(hidden = true) String error,
    @Schema(hidden = true) List<ChatFrame> messages,
    @Schema(hidden = true) Boolean truncated,
    @Schema(hidden = true) Boolean duplicate,
    @Schema(hidden = true) Long retryAfterMs,
    @Schema(hidden = true) Instant expiresAt,
    @Schema(hidden = true) Long expiresInMs,
    @Schema(
            description = "A moderation event: what the owner or admin did",
            enumeration = {"kick", "ban", "unban", "mute", "unmute", "archive"})
        String action,
    @Schema(description = "A moderation event: the username of the owner or admin who acted")
        String by,
    @Schema(description = "A mute event: when the mute ends") Instant until) {

  public static final String MESSAGE = "message";
  public static final String JOIN = "join";
  public static final String LEAVE = "leave";
  public static final String ERROR = "error";
  public static final String ACK = "ack";
  public static final String HISTORY = "history";
  public static final String REFRESH = "refresh";
  public static final String REFRESHED = "refreshed";
  public static final String TYPING = "typing";
  public static final String EDIT = "edit";
  public static final String DELETE = "delete";
  public static final String READ = "read";
  public static final String MODERATION = "moderation";

  /**
   * A row of the room's sequence: a message with its current text and its edited/deleted markers,
   * or an edit event (with the text it set, unless the message was deleted since) or a delete event
   * (never with text).
   */
  public static ChatFrame of(StoredMessage m) {
    if (m.kind() == StoredMessage.Kind.MODERATION) {
      return moderation(m);
    }
    FrameBuilder frame =
        new FrameBuilder(
                switch (m.kind()) {
                  case MESSAGE -> MESSAGE;
                  case EDIT -> EDIT;
                  case DELETE -> DELETE;
                  case MODERATION -> MODERATION;
                })
            .roomId(m.roomId())
            .seq(m.seq())
            .user(String.valueOf(m.userId()), m.username())
            .content(m.kind() == StoredMessage.Kind.DELETE ? null : m.content())
            .sentAt(m.sentAt());
    frame.targetSeq = m.targetSeq();
    if (m.kind() == StoredMessage.Kind.MESSAGE) {
      frame.editedAt = m.editedAt();
      frame.deleted = m.deletedAt() != null ? Boolean.TRUE : null;
      if (frame.deleted != null) {
        frame.content = null;
      }
    } else if (m.kind() == StoredMessage.Kind.EDIT) {
      frame.editedAt = m.sentAt();
    }
    return frame.build();
  }

  static ChatFrame join(String roomId, String userId, String username) {
    return presence(JOIN, roomId, userId, username, "New user joined the room");
  }

  public static ChatFrame leave(String roomId, String userId, String username) {
    return presence(LEAVE, roomId, userId, username, username + " has left the room");
  }

  private static ChatFrame presence(
      String type, String roomId, String userId, String username, String content) {
    return new FrameBuilder(type)
        .roomId(roomId)
        .user(userId, username)
        .content(content)
        .sentAt(now())
        .build();
  }

  /**
   * The user is typing in the room: shown to the others for {@code expiresInMs}. {@code sentAt} is
   * when the typist's node accepted it (the notices' coalescing window runs on it, on every node).
   */
  static ChatFrame typing(String roomId, String userId, String username, long expiresInMs) {
    FrameBuilder typing = new FrameBuilder(TYPING).roomId(roomId).user(userId, username);
    typing.sentAt = now();
    typing.expiresInMs = expiresInMs;
    return typing.build();
  }

  /**
   * The user's read marker in the room moved to {@code seq} at {@code at}: to the user's every
   * socket and, in a direct conversation, the other user's (a read receipt). Also between nodes.
   */
  static ChatFrame read(String roomId, String userId, long seq, Instant at) {
    FrameBuilder read = new FrameBuilder(READ).roomId(roomId).seq(seq).user(userId, null);
    read.sentAt = at;
    return read.build();
  }

  /**
   * A moderation action in the room, to its sockets on every node (and between nodes, where it also
   * closes sockets and updates each node's copy of the room's sanctions).
   */
  static ChatFrame moderation(Moderated m) {
    FrameBuilder frame =
        new FrameBuilder(MODERATION)
            .roomId(m.roomId())
            .user(m.userId() == null ? null : String.valueOf(m.userId()), m.username());
    frame.action = m.action().wire();
    frame.by = m.by();
    frame.until = m.until();
    frame.sentAt = m.at();
    frame.seq = m.seq();
    return frame.build();
  }

  /** A moderation event of the room's history: the same frame as the live one. */
  private static ChatFrame moderation(StoredMessage m) {
    StoredMessage.Moderation what = m.moderation();
    FrameBuilder frame =
        new FrameBuilder(MODERATION)
            .roomId(m.roomId())
            .seq(m.seq())
            .user(what.userId() == null ? null : String.valueOf(what.userId()), what.username());
    frame.action = what.action();
    frame.by = m.username();
    frame.until = what.until();
    frame.sentAt = m.sentAt();
    return frame.build();
  }

  static ChatFrame ack(String roomId, String clientId, long seq, boolean duplicate) {
    FrameBuilder ack = new FrameBuilder(ACK).roomId(roomId).seq(seq).clientId(clientId);
    ack.duplicate = duplicate ? Boolean.TRUE : null;
    return ack.build();
  }

  static ChatFrame history(String roomId, List<ChatFrame> messages, Boolean truncated) {
    FrameBuilder history = new FrameBuilder(HISTORY).roomId(roomId);
    history.messages = messages;
    history.truncated = truncated;
    return history.build();
  }

  static ChatFrame error(String clientId, String message) {
    return new FrameBuilder(ERROR).clientId(clientId).error(message).build();
  }

  /** A message refused by a rate limit: the client may send it again after {@code retryAfterMs}. */
  static ChatFrame rateLimited(String clientId, long retryAfterMs) {
    FrameBuilder refused =
        new FrameBuilder(ERROR)
            .clientId(clientId)
            .error("Too many messages: slow down and send it again in " + retryAfterMs + " ms");
    refused.retryAfterMs = retryAfterMs;
    return refused.build();
  }

  /**
   * Between nodes only: the user's sockets in this room close (removed by the owner or an admin).
   */
  static ChatFrame memberRemoved(String roomId, String userId, boolean left) {
    return new FrameBuilder(left ? RoomRemovals.MEMBER_LEFT : RoomRemovals.MEMBER_REMOVED)
        .roomId(roomId)
        .user(userId, null)
        .build();
  }

  /** A message or typing signal from a muted user: refused until {@code until}. */
  static ChatFrame muted(String clientId, Instant until) {
    FrameBuilder refused =
        new FrameBuilder(ERROR)
            .clientId(clientId)
            .error("You are muted in this room until " + until);
    refused.until = until;
    return refused.build();
  }

  /** Between nodes only: the sessions of this token id end (logout). */
  static ChatFrame sessionEnd(String jti) {
    return new FrameBuilder(Sessions.SESSION_END).clientId(jti).build();
  }

  /** The socket's session now runs on the token the client presented, until this instant. */
  static ChatFrame refreshed(Instant expiresAt) {
    FrameBuilder refreshed = new FrameBuilder(REFRESHED);
    refreshed.expiresAt = expiresAt;
    return refreshed.build();
  }

  static ChatFrame error(String message) {
    return error(null, message);
  }

  static Instant now() {
    return Instant.ofEpochMilli(System.currentTimeMillis());
  }

  /** This frame as the JSON text sent to clients (and between nodes). */
  String toJson(ObjectMapper mapper) {
    try {
      return mapper.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot encode frame", e);
    }
  }

  /**
   * The frames above, each naming only the fields it sets: every other field stays null and so is
   * left out of the JSON. {@code isDirect} is false on chat (message and presence) frames only.
   */
}
