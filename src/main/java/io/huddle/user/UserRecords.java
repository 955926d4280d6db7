package io.huddle.user;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the user endpoints accept and answer. */
public final class UserRecords {
  private UserRecords() {}

  /** What a username may be. */
  public static final String USERNAME_PATTERN = "^[a-zA-Z0-9_-]{3,20}$";

  public static final String USERNAME_RULE =
      "username must be 3-20 characters of letters, digits, _ or -";

  @Schema(name = "SignupRequest")
  public record SignupRequest(
      @Schema(examples = "alice", description = "3-20 letters, digits, _ or -")
          @NotNull(message = "username is required")
          @Pattern(regexp = USERNAME_PATTERN, message = USERNAME_RULE)
          String username,
      @Schema(examples = "alice@example.com", description = "Stored lower-case, at most 254 chars")
          @NotNull(message = "email is required")
          @Size(max = 254, message = "email must be at most 254 characters")
          @Email(
              regexp = "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$",
              message = "email must be a valid email address")
          String email,
      @Schema(examples = "correct horse battery", description = "8-72 bytes in UTF-8")
          @NotNull(message = "password is required")
          String password) {}

  @Schema(name = "LoginRequest")
  public record LoginRequest(
      @Schema(examples = "alice@example.com") @NotNull(message = "email is required") String email,
      @Schema(examples = "correct horse battery") @NotNull(message = "password is required")
          String password) {}

  @Schema(name = "User")
  public record UserResponse(
      @Schema(examples = "1", description = "Numeric id as a string, as the Go server sent it")
          String id,
      @Schema(examples = "alice") String username,
      @Schema(examples = "alice@example.com") String email) {
    static UserResponse of(User user) {
      return new UserResponse(String.valueOf(user.id), user.username, user.email);
    }
  }

  @Schema(name = "LoginResponse")
  public record LoginResponse(
      @Schema(examples = "1") String id,
      @Schema(examples = "alice") String username,
      @Schema(description = "JWT; also set as the HttpOnly access_token cookie") String accessToken,
      @Schema(description = "When the token expires (ISO-8601 UTC)") java.time.Instant expiresAt) {}

  @Schema(name = "Message")
  public record MessageResponse(@Schema(examples = "Successfully logged out") String message) {}
}
