package io.huddle.chat;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.huddle.room.DirectRoomId;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Tells both users of a direct conversation of each new message on every other socket they have
 * open on this node (a socket in another room, say): a {@code dm} frame carrying the message frame.
 * Every node receives every committed message frame from the broker (its own at once, the others'
 * through Redis), so each node notifies its own sockets and nothing more travels between nodes.
 * Best effort, like the broker's fast path: a frame Redis loses is not notified (the conversation's
 * own sockets still get it from PostgreSQL, and {@code GET /api/v1/dms} shows it).
 */
@ApplicationScoped
class DirectNotifications {
  static final String DM = "dm";

  /** The frame: {@code {"type":"dm","roomId":"dm:1:2","message":{...}}}. */
  @RegisterForReflection
  @JsonPropertyOrder({"type", "roomId", "message"})
  record Notice(String type, String roomId, ChatFrame message) {}

  private final OpenSockets sockets;
  private final Hub hub;
  private final ObjectMapper mapper;

  DirectNotifications(OpenSockets sockets, Hub hub, ObjectMapper mapper) {
    this.sockets = sockets;
    this.hub = hub;
    this.mapper = mapper;
  }

  /**
   * A frame the broker handed to this node, after its commit. Does nothing unless it is a message
   * of a direct room.
   */
  void received(ChatFrame frame) {
    if (!ChatFrame.MESSAGE.equals(frame.type()) || frame.seq() == null) {
      return;
    }
    Optional<DirectRoomId> pair = DirectRoomId.parse(frame.roomId());
    if (pair.isEmpty()) {
      return;
    }
    NettyFrames.Outbound text = null;
    Member.Drains drains = new Member.Drains();
    for (long userId : new long[] {pair.get().low(), pair.get().high()}) {
      for (WebSocketConnection connection : sockets.ofUser(String.valueOf(userId))) {
        Member member = hub.member(connection);
        // The conversation's own sockets have the message frame itself.
        if (member == null || member.roomId.equals(frame.roomId())) {
          continue;
        }
        if (text == null) {
          // Encoded once per node, and only when someone here is to be told.
          text = NettyFrames.Outbound.of(encode(new Notice(DM, frame.roomId(), frame)));
        }
        member.offer(text, 0, drains);
      }
    }
    drains.schedule();
  }

  private String encode(Notice notice) {
    try {
      return mapper.writeValueAsString(notice);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot encode frame", e);
    }
  }
}
