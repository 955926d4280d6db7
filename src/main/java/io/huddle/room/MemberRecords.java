package io.huddle.room;

import io.huddle.user.UserRecords;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the membership endpoints accept and answer. */
public final class MemberRecords {
  private MemberRecords() {}

  /** A user id as the API writes it: digits, in a string. */
  static final String USER_ID_PATTERN = "^[0-9]{1,18}$";

  static final String USER_ID_RULE = "userId must be a user id (digits)";

  @Schema(name = "InviteRequest")
  public record InviteRequest(
      @Schema(examples = "bob", description = "The username of the user to add")
          @NotNull(message = "username is required")
          @Pattern(regexp = UserRecords.USERNAME_PATTERN, message = UserRecords.USERNAME_RULE)
          String username) {}

  @Schema(name = "RoleRequest")
  public record RoleRequest(
      @Schema(
              enumeration = {"admin", "member"},
              description = "The owner's role moves only with the ownership (PUT .../owner)")
          @NotNull(message = "role is required")
          String role) {}

  @Schema(name = "TransferRequest")
  public record TransferRequest(
      @Schema(examples = "2", description = "The member who becomes the owner")
          @NotNull(message = "userId is required")
          @Pattern(regexp = USER_ID_PATTERN, message = USER_ID_RULE)
          String userId) {}

  @Schema(name = "Member", description = "A user's membership of a room")
  public record MemberResponse(
      @Schema(examples = "2") String userId,
      @Schema(examples = "bob") String username,
      @Schema(enumeration = {"owner", "admin", "member"}) String role,
      @Schema(description = "When the user became a member") Instant joinedAt) {}

  @Schema(name = "MemberList")
  public record MemberList(
      @Schema(description = "The owner first, then admins, then members; each by joining time")
          List<MemberResponse> members) {}
}
