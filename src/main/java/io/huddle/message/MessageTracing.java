package io.huddle.message;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * OpenTelemetry spans for a chat message's path, beside the REST spans Quarkus makes itself:
 *
 * <ul>
 *   <li>{@code huddle.message} from the frame's arrival to the end of its handling after the commit
 *       (ack queued, broadcast done): the message's whole server-side life;
 *   <li>{@code huddle.message.commit}, one per group-commit batch, linked to the messages it holds;
 *   <li>{@code huddle.message.broadcast}, the fan-out of one frame to this node's members: a child
 *       of the message on the node that stored it, a root on the other replicas (the trace context
 *       does not travel through Redis).
 * </ul>
 *
 * Off by default ({@code quarkus.otel.sdk.disabled=true}): then every method returns at once
 * without touching OpenTelemetry, so the hot path pays one branch.
 */
@ApplicationScoped
public class MessageTracing {
  static final AttributeKey<String> ROOM = AttributeKey.stringKey("huddle.room");
  static final AttributeKey<Long> SEQ = AttributeKey.longKey("huddle.seq");
  static final AttributeKey<String> CLIENT_ID = AttributeKey.stringKey("huddle.client_id");
  static final AttributeKey<Long> USER = AttributeKey.longKey("huddle.user_id");
  static final AttributeKey<Long> BATCH = AttributeKey.longKey("huddle.batch_size");
  static final AttributeKey<Long> MEMBERS = AttributeKey.longKey("huddle.fanout");
  static final AttributeKey<Boolean> DUPLICATE = AttributeKey.booleanKey("huddle.duplicate");

  private final Tracer tracer;
  private final boolean enabled;

  public MessageTracing(
      Tracer tracer,
      @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "false")
          boolean disabled) {
    this.tracer = tracer;
    this.enabled = !disabled;
  }

  public boolean enabled() {
    return enabled;
  }

  /** A message arrived from a client; null when tracing is off. */
  public Span received(String roomId, long userId, String clientId) {
    if (!enabled) {
      return null;
    }
    SpanBuilder builder =
        tracer
            .spanBuilder("huddle.message")
            .setNoParent()
            .setAttribute(ROOM, roomId)
            .setAttribute(USER, userId);
    if (clientId != null) {
      builder.setAttribute(CLIENT_ID, clientId);
    }
    return builder.startSpan();
  }

  /** What a commit batch links to: the message's span context (invalid when off). */
  public static SpanContext contextOf(Span span) {
    return span == null ? SpanContext.getInvalid() : span.getSpanContext();
  }

  /** Makes the message's span current (so a local broadcast becomes its child). */
  public Scope activate(Span span) {
    return span == null ? Scope.noop() : span.makeCurrent();
  }

  /** Ends the message's span with its outcome: stored (seq), a duplicate, or an error. */
  public void finished(Span span, Long seq, boolean duplicate, String error) {
    if (span == null) {
      return;
    }
    if (seq != null) {
      span.setAttribute(SEQ, seq);
    }
    span.setAttribute(DUPLICATE, duplicate);
    if (error != null) {
      span.setStatus(StatusCode.ERROR, error);
    }
    span.end();
  }

  /** A group-commit batch starts; null when tracing is off. */
  Span commit(List<PendingWrite> batch) {
    if (!enabled) {
      return null;
    }
    SpanBuilder builder =
        tracer
            .spanBuilder("huddle.message.commit")
            .setNoParent()
            .setAttribute(BATCH, (long) batch.size());
    for (PendingWrite p : batch) {
      if (p.trace().isValid()) {
        builder.addLink(p.trace());
      }
    }
    return builder.startSpan();
  }

  void committed(Span span, Throwable failure) {
    if (span == null) {
      return;
    }
    if (failure != null) {
      span.recordException(failure);
      span.setStatus(StatusCode.ERROR, failure.getMessage());
    }
    span.end();
  }

  /** A frame's fan-out to this node's members starts; null when tracing is off. */
  public Span broadcast(String roomId, Long seq) {
    if (!enabled) {
      return null;
    }
    Span span =
        tracer.spanBuilder("huddle.message.broadcast").setAttribute(ROOM, roomId).startSpan();
    if (seq != null) {
      span.setAttribute(SEQ, seq);
    }
    return span;
  }

  public void broadcastDone(Span span, int fanOut) {
    if (span == null) {
      return;
    }
    span.setAttribute(MEMBERS, (long) fanOut);
    span.end();
  }
}
