package io.huddle.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.huddle.common.HuddleConfig;
import io.huddle.message.MessageTracing;
import io.huddle.message.MessageWriter;
import io.huddle.message.PendingWrite;
import io.huddle.message.StoredMessage;
import io.huddle.message.WriteResult;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.Startup;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Instant;

/**
 * What members send: each text frame passes the sender's rate limits, then goes to the {@link
 * MessageWriter}; once it is stored the sender gets an ack and the room gets the message (or the
 * edit or delete event) through the {@link Broker}. Whatever is refused is answered with an error
 * frame to the sender only.
 */
@ApplicationScoped
@Startup
class MessageIntake {
  private final Hub hub;
  private final Broker broker;
  private final ObjectMapper mapper;
  private final HuddleConfig config;
  private final MessageWriter writer;
  private final ChatMetrics metrics;
  private final MessageTracing tracing;
  private final SocketQuota quota;
  private final Sessions sessions;
  private final TypingNotices typing;
  private final ModerationRelay moderation;

  MessageIntake(
      Hub hub,
      Instance<Broker> brokers,
      ObjectMapper mapper,
      HuddleConfig config,
      MessageWriter writer,
      ChatMetrics metrics,
      MessageTracing tracing,
      SocketQuota quota,
      Sessions sessions,
      TypingNotices typing,
      ModerationRelay moderation) {
    this.hub = hub;
    this.broker = brokers.get();
    this.mapper = mapper;
    this.config = config;
    this.writer = writer;
    this.metrics = metrics;
    this.tracing = tracing;
    this.quota = quota;
    this.sessions = sessions;
    this.typing = typing;
    this.moderation = moderation;
  }

  /** The writer's metrics, registered at start like every other. */
  @PostConstruct
  void start() {
    metrics.gauge("huddle.messages.write.queue", "Messages waiting to be stored", writer::queued);
    metrics.counter(
        "huddle.messages.write.batches",
        "Group-commit transactions (messages stored / batches = batch size)",
        writer,
        MessageWriter::committedBatches);
    metrics.counter(
        "huddle.messages.stored", "Messages stored", writer, MessageWriter::committedMessages);
    metrics.counter(
        "huddle.messages.write.resend.batches",
        "Group-commit batches written twice because they held a resend of a stored clientId",
        writer,
        MessageWriter::resendBatches);
  }

  /**
   * A text frame from a client: queue it for storage, or answer an error frame to the sender only.
   * Once stored, the sender gets an ack (when it sent a clientId) and the room gets the message.
   */
  void receive(WebSocketConnection connection, String text) {
    Member member = hub.member(connection);
    if (member == null) {
      return;
    }
    if (!admitted(member, text)) {
      return;
    }
    InboundFrames.Parsed parsed = parse(text);
    if (parsed.typing()) {
      if (!muted(member, null)) {
        typing.typed(member);
      }
      return;
    }
    if (parsed.refreshToken() != null) {
      sessions.refresh(
          connection, member.user.id(), parsed.refreshToken(), f -> member.offer(f.toJson(mapper)));
      return;
    }
    if (parsed.error() != null) {
      metrics.rejected(ChatMetrics.Rejection.INVALID_FRAME);
      member.offer(ChatFrame.error(parsed.clientId(), parsed.error()).toJson(mapper));
      return;
    }
    String clientId = parsed.clientId();
    if (muted(member, clientId)) {
      return;
    }
    Span span = tracing.received(member.roomId, member.user.id(), clientId);
    PendingWrite pending =
        new PendingWrite(
            member.roomId,
            member.user.id(),
            member.user.username(),
            parsed.content(),
            clientId,
            ChatFrame.now(),
            MessageTracing.contextOf(span),
            result -> stored(member, clientId, result, span),
            parsed.kind(),
            parsed.targetSeq());
    if (!writer.submit(pending)) {
      metrics.rejected(ChatMetrics.Rejection.OVERLOADED);
      tracing.finished(span, null, false, "overloaded");
      member.offer(
          ChatFrame.error(clientId, "Server busy: message not stored, send it again later")
              .toJson(mapper));
      return;
    }
    metrics.received();
  }

  /**
   * Whether the sender is muted in the room (this node's copy of the room's mutes: never blocks);
   * if so it gets an error frame saying until when, and the frame reaches nobody.
   */
  private boolean muted(Member member, String clientId) {
    Instant until = moderation.mutedUntil(member.roomId, member.user.id());
    if (until == null) {
      return false;
    }
    metrics.rejected(ChatMetrics.Rejection.MUTED);
    member.offer(ChatFrame.muted(clientId, until).toJson(mapper));
    return true;
  }

  /**
   * Whether the sender's rate limits let this frame through (every text frame counts, valid or
   * not). A refused one gets an error frame with {@code retryAfterMs}; a sender that ignores too
   * many refusals in a row is closed with 1008.
   */
  private boolean admitted(Member member, String text) {
    SocketQuota.Verdict verdict = quota.message(member.connection);
    if (verdict == SocketQuota.Verdict.ALLOW) {
      return true;
    }
    metrics.rejected(ChatMetrics.Rejection.RATE_LIMITED);
    if (verdict instanceof SocketQuota.Verdict.Refuse refuse) {
      // Parsed only to name the refused frame's clientId; a closing socket's frames are not. A
      // typing signal is ephemeral: nothing to send again, so no answer.
      InboundFrames.Parsed refused = parse(text);
      if (!refused.typing()) {
        member.offer(
            ChatFrame.rateLimited(refused.clientId(), refuse.retryAfterMs()).toJson(mapper));
      }
    } else if (verdict instanceof SocketQuota.Verdict.Close) {
      NettyFrames.closeAndDrain(
          member.connection, SocketClose.POLICY_VIOLATION, "Rate limit exceeded");
    }
    return false;
  }

  private InboundFrames.Parsed parse(String text) {
    return InboundFrames.parse(text, mapper, config.chat().maxContentLength());
  }

  /** Runs on the writer thread after the commit, in seq order. */
  private void stored(Member member, String clientId, WriteResult result, Span span) {
    try (Scope scope = tracing.activate(span)) {
      storedInScope(member, clientId, result);
    } finally {
      StoredMessage message = result.message();
      tracing.finished(
          span, message == null ? null : message.seq(), result.duplicate(), result.error());
    }
  }

  private void storedInScope(Member member, String clientId, WriteResult result) {
    if (result.error() != null) {
      // An edit or delete the user may not make is a refused frame; anything else was not stored.
      metrics.rejected(
          result.refusal() != null
              ? ChatMetrics.Rejection.INVALID_FRAME
              : ChatMetrics.Rejection.NOT_STORED);
      member.offer(ChatFrame.error(clientId, result.error()).toJson(mapper));
      return;
    }
    StoredMessage message = result.message();
    if (clientId != null) {
      member.offer(
          ChatFrame.ack(message.roomId(), clientId, message.seq(), result.duplicate())
              .toJson(mapper));
    }
    if (!result.duplicate()) {
      broker.publish(ChatFrame.of(message));
    }
  }

  /** Answers an error frame to one connection, counting the refused frame. */
  void reject(WebSocketConnection connection, ChatMetrics.Rejection reason, String error) {
    metrics.rejected(reason);
    Member member = hub.member(connection);
    if (member != null) {
      member.offer(ChatFrame.error(error).toJson(mapper));
    }
  }

  /** A frame over the size limit: counted, and the connection closed with 1009. */
  void tooLarge(WebSocketConnection connection) {
    metrics.rejected(ChatMetrics.Rejection.TOO_LARGE);
    SocketClose.quietly(connection, SocketClose.MESSAGE_TOO_BIG, "Message too big");
  }
}
