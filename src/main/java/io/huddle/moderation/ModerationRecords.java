package io.huddle.moderation;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the moderation endpoints accept and answer. */
public final class ModerationRecords {
  private ModerationRecords() {}

  static final String USER_ID_PATTERN = "^[0-9]{1,18}$";
  static final String USER_ID_RULE = "userId must be a user id (digits)";

  /** The longest mute: 30 days. */
  static final long MAX_MUTE_SECONDS = 30L * 24 * 3600;

  static final int MAX_REASON_LENGTH = 500;

  @Schema(name = "KickRequest")
  public record KickRequest(
      @Schema(examples = "2", description = "The user whose sockets in the room close")
          @NotNull(message = "userId is required")
          @Pattern(regexp = USER_ID_PATTERN, message = USER_ID_RULE)
          String userId) {}

  @Schema(name = "BanRequest")
  public record BanRequest(
      @Schema(examples = "2")
          @NotNull(message = "userId is required")
          @Pattern(regexp = USER_ID_PATTERN, message = USER_ID_RULE)
          String userId,
      @Schema(examples = "spam", description = "Optional, kept in the ban list and the audit log")
          @Size(max = MAX_REASON_LENGTH, message = "reason must be at most 500 characters")
          String reason) {}

  @Schema(name = "MuteRequest")
  public record MuteRequest(
      @Schema(examples = "2")
          @NotNull(message = "userId is required")
          @Pattern(regexp = USER_ID_PATTERN, message = USER_ID_RULE)
          String userId,
      @Schema(examples = "600", description = "1 to 2592000 (30 days); a new mute replaces one")
          @NotNull(message = "durationSeconds is required")
          @Min(value = 1, message = "durationSeconds must be between 1 and 2592000")
          @Max(value = MAX_MUTE_SECONDS, message = "durationSeconds must be between 1 and 2592000")
          Long durationSeconds) {}

  @Schema(name = "Ban")
  public record BanResponse(
      @Schema(examples = "2") String userId,
      @Schema(examples = "bob") String username,
      @JsonInclude(JsonInclude.Include.NON_NULL) String reason,
      @Schema(description = "The username of the owner or admin who banned") String by,
      Instant bannedAt) {}

  @Schema(name = "BanList")
  public record BanList(@Schema(description = "Newest first") List<BanResponse> bans) {}

  @Schema(name = "Mute")
  public record MuteResponse(
      @Schema(examples = "2") String userId,
      @Schema(examples = "bob") String username,
      @Schema(description = "When the mute ends by itself") Instant until) {}

  @Schema(name = "ModerationEntry", description = "One action in the room's audit trail")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EntryResponse(
      @Schema(examples = "17") String id,
      @Schema(enumeration = {"kick", "ban", "unban", "mute", "unmute", "archive", "delete"})
          String action,
      @Schema(description = "The target; absent for archive") String userId,
      String username,
      @Schema(description = "The username of the owner or admin who acted") String by,
      String reason,
      @Schema(description = "When a mute ends") Instant until,
      Instant at) {}

  @Schema(name = "ModerationLog")
  public record EntryPage(
      @Schema(description = "Newest first") List<EntryResponse> entries,
      @Schema(description = "Present when older entries follow: pass it as `before`")
          @JsonInclude(JsonInclude.Include.NON_NULL)
          String next) {}

  /** The same rule as the membership endpoints' user ids. */
  static boolean isUserId(String userId) {
    return userId != null && userId.matches(USER_ID_PATTERN);
  }
}
