package io.huddle.room;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.huddle.user.UserRecords;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the direct-message endpoints accept and answer. */
public final class DirectRecords {
  private DirectRecords() {}

  @Schema(name = "StartDirectRequest")
  public record StartRequest(
      @Schema(examples = "bob", description = "The username of the other user")
          @NotNull(message = "username is required")
          @Pattern(regexp = UserRecords.USERNAME_PATTERN, message = UserRecords.USERNAME_RULE)
          String username) {}

  @Schema(name = "DirectPeer", description = "The other user of a direct conversation")
  public record Peer(
      @Schema(examples = "2") String id, @Schema(examples = "bob") String username) {}

  @Schema(name = "DirectLastMessage", description = "The conversation's latest stored message")
  public record LastMessage(
      @Schema(examples = "7") long seq,
      @Schema(examples = "1") String userId,
      @Schema(examples = "alice") String username,
      @Schema(examples = "see you at 5") String content,
      Instant sentAt) {}

  @Schema(name = "DirectConversation")
  public record Conversation(
      @Schema(
              examples = "dm:1:2",
              description =
                  "The conversation's room: its socket is /api/v1/ws/joinRoom/{roomId} and its"
                      + " history /api/v1/rooms/{roomId}/messages, as for any room")
          String roomId,
      Peer user,
      @Schema(
              description =
                  "Absent while the conversation has no message (or retention removed it)")
          @JsonInclude(JsonInclude.Include.NON_NULL)
          LastMessage lastMessage,
      @Schema(description = "When the conversation was started") Instant createdAt,
      @Schema(
              examples = "2",
              description =
                  "Messages of the other user after the caller's read marker (PUT"
                      + " /rooms/{roomId}/read), counted up to 100 (100 means 100 or more); all of"
                      + " them before the caller first marks the conversation read")
          int unread) {}

  @Schema(name = "DirectConversationList")
  public record ConversationList(
      @Schema(description = "Newest activity (last message, else creation) first")
          List<Conversation> conversations,
      @Schema(description = "Present when more follow: pass it as `after` to get the next page")
          @JsonInclude(JsonInclude.Include.NON_NULL)
          String next) {}

  /** A conversation, and whether this request started it. */
  public record Started(Conversation conversation, boolean created) {}
}
