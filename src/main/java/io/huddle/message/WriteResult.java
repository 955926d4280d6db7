package io.huddle.message;

/**
 * The outcome: the stored row (duplicate = an earlier send with the same clientId), or an error;
 * {@code refusal} says why an edit or delete was refused (null when the database failed).
 */
public record WriteResult(StoredMessage message, boolean duplicate, String error, Refusal refusal) {
  WriteResult(StoredMessage message, boolean duplicate) {
    this(message, duplicate, null, null);
  }

  static WriteResult failed(String error) {
    return new WriteResult(null, false, error, null);
  }

  static WriteResult refused(Refusal refusal, String error) {
    return new WriteResult(null, false, error, refusal);
  }

  /** Why an edit or delete was refused (a message is never refused by the writer). */
  public enum Refusal {
    /** No message has that seq in the room. */
    NOT_FOUND,
    /** The user may not change that message. */
    FORBIDDEN,
    /** That seq is an event, or the message is deleted. */
    CONFLICT
  }
}
