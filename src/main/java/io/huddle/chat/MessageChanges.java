package io.huddle.chat;

import io.huddle.auth.AuthUser;
import io.huddle.common.ApiException;
import io.huddle.common.HuddleConfig;
import io.huddle.common.QueryNumbers;
import io.huddle.limit.RateLimitedException;
import io.huddle.message.MessageWriter;
import io.huddle.message.PendingWrite;
import io.huddle.message.StoredMessage.Kind;
import io.huddle.message.WriteResult;
import io.huddle.moderation.ModerationService;
import io.opentelemetry.api.trace.SpanContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Edits and deletes over REST: the same rows, checks and broadcast as the socket's {@code edit} and
 * {@code delete} frames. The write goes through the {@link MessageWriter} (which checks authorship
 * and the room role under the room's lock) and is published to the room from the writer's thread,
 * in seq order with the room's messages.
 */
@ApplicationScoped
public class MessageChanges {
  /** What a REST caller waits for at most beyond the writer's own retry window. */
  private static final Duration MARGIN = Duration.ofSeconds(5);

  private final MessageWriter writer;
  private final Broker broker;
  private final ModerationService moderation;
  private final SocketQuota quota;
  private final HuddleConfig config;

  MessageChanges(
      MessageWriter writer,
      Instance<Broker> brokers,
      ModerationService moderation,
      SocketQuota quota,
      HuddleConfig config) {
    this.writer = writer;
    this.broker = brokers.get();
    this.moderation = moderation;
    this.quota = quota;
    this.config = config;
  }

  /** Replaces the text of the caller's own message; answers the {@code edit} event. */
  public ChatFrame edit(String roomId, String seq, String content, AuthUser user) {
    long target = seqOf(seq);
    if (content == null) {
      throw ApiException.badRequest("content is required: send {\"content\":\"...\"}");
    }
    InboundFrames.Parsed checked =
        InboundFrames.checkContent(content, null, config.chat().maxContentLength());
    if (checked.error() != null) {
      throw ApiException.badRequest(checked.error());
    }
    return write(roomId, target, Kind.EDIT, content, user);
  }

  /**
   * Deletes a message: the caller's own, or any when the caller owns or administers the room.
   * Answers the {@code delete} event.
   */
  public ChatFrame delete(String roomId, String seq, AuthUser user) {
    return write(roomId, seqOf(seq), Kind.DELETE, null, user);
  }

  private static long seqOf(String seq) {
    return QueryNumbers.parse("seq", seq, 1, Long.MAX_VALUE);
  }

  private ChatFrame write(String roomId, long target, Kind kind, String content, AuthUser user) {
    moderation.requireMayChangeMessages(roomId, user);
    long waitNanos = quota.restMessage(user.id());
    if (waitNanos > 0) {
      throw new RateLimitedException("Too many messages: slow down", waitNanos);
    }
    CompletableFuture<WriteResult> done = new CompletableFuture<>();
    PendingWrite pending =
        new PendingWrite(
            roomId,
            user.id(),
            user.username(),
            content,
            null,
            ChatFrame.now(),
            SpanContext.getInvalid(),
            result -> {
              // On the writer's thread, after the commit: published in seq order.
              if (result.error() == null && !result.duplicate()) {
                broker.publish(ChatFrame.of(result.message()));
              }
              done.complete(result);
            },
            kind,
            target);
    if (!writer.submit(pending)) {
      throw new ApiException(503, "Server busy: nothing was changed, try again later");
    }
    WriteResult result = await(done);
    if (result.refusal() != null) {
      throw new ApiException(
          switch (result.refusal()) {
            case NOT_FOUND -> 404;
            case FORBIDDEN -> 403;
            case CONFLICT -> 409;
          },
          result.error());
    }
    if (result.error() != null) {
      throw new ApiException(503, "The database is unavailable: nothing was changed, try again");
    }
    return ChatFrame.of(result.message());
  }

  private WriteResult await(CompletableFuture<WriteResult> done) {
    try {
      return done.get(
          config.history().writeTimeout().plus(MARGIN).toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "Interrupted: the change may or may not have been made");
    } catch (ExecutionException | TimeoutException e) {
      throw new ApiException(503, "The change may or may not have been made: check the history");
    }
  }
}
