package io.huddle.message;

import java.time.Instant;

/** A message as PostgreSQL holds it: its room's sequence number makes it unique and ordered. */
public record StoredMessage(
    String roomId, long seq, long userId, String username, String content, Instant sentAt) {}
