package io.huddle.read;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the read-marker endpoints accept and answer. */
public final class ReadRecords {
  private ReadRecords() {}

  @Schema(name = "MarkReadRequest")
  public record MarkRequest(
      @Schema(
              examples = "42",
              description =
                  "The highest seq the user has read: 0 up to the room's last seq. A lower value"
                      + " than the current marker changes nothing (markers only move forward)")
          @NotNull(message = "seq is required")
          @Min(value = 0, message = "seq must be 0 or more")
          Long seq) {}

  @Schema(name = "ReadMarker", description = "How far the caller has read a room")
  public record ReadMarker(
      @Schema(examples = "general") String roomId,
      @Schema(examples = "42", description = "The highest seq read; 0 when never marked") long seq,
      @Schema(examples = "3", description = "Messages of other users after seq, at most 100")
          int unread,
      @Schema(description = "When the marker last moved; absent when never marked")
          @JsonInclude(JsonInclude.Include.NON_NULL)
          Instant updatedAt) {}
}
