package io.huddle.room;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the invitation-link endpoints accept and answer. */
public final class InvitationRecords {
  private InvitationRecords() {}

  /** Shortest and longest life of a link. */
  static final long MIN_EXPIRY_SECONDS = 60;

  static final long MAX_EXPIRY_SECONDS = 30L * 24 * 3600;

  static final int MAX_USES = 10_000;

  @Schema(name = "CreateInvitationRequest")
  public record CreateRequest(
      @Schema(examples = "86400", description = "How long the link works: 60 s to 30 days")
          @NotNull(message = "expiresInSeconds is required")
          @Min(value = MIN_EXPIRY_SECONDS, message = "expiresInSeconds must be 60 to 2592000")
          @Max(value = MAX_EXPIRY_SECONDS, message = "expiresInSeconds must be 60 to 2592000")
          Long expiresInSeconds,
      @Schema(
              examples = "10",
              description = "How many users may join with it, 1-10000; absent: any number")
          @Min(value = 1, message = "maxUses must be 1 to 10000")
          @Max(value = MAX_USES, message = "maxUses must be 1 to 10000")
          Integer maxUses) {}

  @Schema(name = "Invitation", description = "An invitation link (its code is never shown again)")
  public record Invitation(
      @Schema(examples = "12", description = "Names the link to revoke it") String id,
      @Schema(examples = "team") String roomId,
      @Schema(examples = "1") String createdBy,
      Instant createdAt,
      Instant expiresAt,
      @Schema(examples = "10", description = "Absent: any number of uses")
          @JsonInclude(JsonInclude.Include.NON_NULL)
          Integer maxUses,
      @Schema(examples = "3") int uses) {}

  @Schema(name = "CreatedInvitation", description = "A new link: share the url (or the code)")
  public record Created(
      @Schema(examples = "12") String id,
      @Schema(
              examples = "Vq3fJ0n1kS8b2xQyHc7tWmA4ZpLr9eUd",
              description = "32 characters (base64url, 192 random bits); only its hash is stored")
          String code,
      @Schema(
              examples = "https://chat.example/#/invite/Vq3fJ0n1kS8b2xQyHc7tWmA4ZpLr9eUd",
              description = "The web client's page that accepts it")
          String url,
      Instant expiresAt,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer maxUses) {}

  @Schema(name = "InvitationList")
  public record InvitationList(
      @Schema(description = "The room's links that still work, newest first")
          List<Invitation> invitations) {}

  @Schema(name = "InvitationAccepted", description = "The caller's membership of the room")
  public record Accepted(
      @Schema(examples = "team") String roomId,
      @Schema(examples = "Team only") String name,
      @Schema(examples = "member") String role,
      Instant joinedAt) {}

  /** An acceptance, and whether it made the caller a member (false: it already was one). */
  public record Acceptance(Accepted accepted, boolean joined) {}

  /** A new link, as the service made it (the resource adds the url). */
  public record New(String id, String code, Instant expiresAt, Integer maxUses) {}
}
