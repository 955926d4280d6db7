package io.huddle.message;

import java.time.Instant;

/**
 * A row of a room's sequence as PostgreSQL holds it: its room's sequence number makes it unique and
 * ordered. A {@link Kind#MESSAGE} carries its current text ({@code null} once deleted) and when it
 * was last edited or deleted; an {@link Kind#EDIT} or {@link Kind#DELETE} event names the message
 * it changed ({@code targetSeq}), an edit with the text it set (removed if the message is deleted
 * later), a delete never with text. A {@link Kind#MODERATION} event (V13) has no text and carries
 * its {@link Moderation}. {@code userId}/{@code username} are whoever made the row (for a
 * moderation event: the owner or admin who acted).
 */
public record StoredMessage(
    String roomId,
    long seq,
    long userId,
    String username,
    String content,
    Instant sentAt,
    Kind kind,
    Long targetSeq,
    Instant editedAt,
    Instant deletedAt,
    Moderation moderation) {

  /**
   * What a moderation event did: its action ({@code kick}, {@code ban}, {@code unban}, {@code
   * mute}, {@code unmute}, {@code archive}), the user it concerns (null for archive), when a mute
   * ends (null otherwise).
   */
  public record Moderation(String action, Long userId, String username, Instant until) {}

  /** What a row of the sequence is; the name is the value of the {@code kind} column. */
  public enum Kind {
    MESSAGE("message"),
    EDIT("edit"),
    DELETE("delete"),
    MODERATION("moderation");

    private final String column;

    Kind(String column) {
      this.column = column;
    }

    public String column() {
      return column;
    }

    static Kind of(String column) {
      for (Kind kind : values()) {
        if (kind.column.equals(column)) {
          return kind;
        }
      }
      throw new IllegalArgumentException("Unknown message kind " + column);
    }
  }

  /** A plain message, as sent. */
  public StoredMessage(
      String roomId, long seq, long userId, String username, String content, Instant sentAt) {
    this(roomId, seq, userId, username, content, sentAt, Kind.MESSAGE, null, null, null, null);
  }
}
