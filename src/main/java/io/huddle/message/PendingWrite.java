package io.huddle.message;

import io.opentelemetry.api.trace.SpanContext;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * A row waiting to be written, and who to tell when it is (or is not): a message, or an edit or
 * delete of the message {@code targetSeq} (checked against the stored message when its batch is
 * written, under the room's lock).
 */
public record PendingWrite(
    String roomId,
    long userId,
    String username,
    String content,
    String clientId,
    Instant sentAt,
    SpanContext trace,
    Consumer<WriteResult> onDone,
    StoredMessage.Kind kind,
    long targetSeq) {

  /** A new message. */
  public PendingWrite(
      String roomId,
      long userId,
      String username,
      String content,
      String clientId,
      Instant sentAt,
      SpanContext trace,
      Consumer<WriteResult> onDone) {
    this(
        roomId,
        userId,
        username,
        content,
        clientId,
        sentAt,
        trace,
        onDone,
        StoredMessage.Kind.MESSAGE,
        0);
  }

  boolean isChange() {
    return kind != StoredMessage.Kind.MESSAGE;
  }
}
