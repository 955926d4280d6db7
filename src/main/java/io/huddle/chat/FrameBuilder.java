package io.huddle.chat;

import java.time.Instant;
import java.util.List;

/**
 * Builds a {@link ChatFrame}: the frame factories in ChatFrame name only the fields their frame has
 * (every other one stays null and is left out of the JSON). Package-private, like the factories
 * that set fields directly.
 */
final class FrameBuilder {
  private final String type;
  String roomId;
  Long seq;
  Long targetSeq;
  String userId;
  String username;
  String content;
  Instant sentAt;
  Instant editedAt;
  Boolean deleted;
  Boolean isDirect;
  String clientId;
  String error;
  List<ChatFrame> messages;
  Boolean truncated;
  Boolean duplicate;
  Long retryAfterMs;
  Instant expiresAt;
  Long expiresInMs;
  String action;
  String by;
  Instant until;

  FrameBuilder(String type) {
    this.type = type;
  }

  FrameBuilder roomId(String roomId) {
    this.roomId = roomId;
    return this;
  }

  FrameBuilder seq(long seq) {
    this.seq = seq;
    return this;
  }

  FrameBuilder user(String userId, String username) {
    this.userId = userId;
    this.username = username;
    return this;
  }

  FrameBuilder content(String content) {
    this.content = content;
    return this;
  }

  /** A chat frame: when it was sent, and never direct (the Go server's clients expect both). */
  FrameBuilder sentAt(Instant sentAt) {
    this.sentAt = sentAt;
    this.isDirect = false;
    return this;
  }

  FrameBuilder clientId(String clientId) {
    this.clientId = clientId;
    return this;
  }

  FrameBuilder error(String error) {
    this.error = error;
    return this;
  }

  ChatFrame build() {
    return new ChatFrame(
        type,
        roomId,
        seq,
        targetSeq,
        userId,
        username,
        content,
        sentAt,
        editedAt,
        deleted,
        isDirect,
        clientId,
        error,
        messages,
        truncated,
        duplicate,
        retryAfterMs,
        expiresAt,
        expiresInMs,
        action,
        by,
        until);
  }
}
