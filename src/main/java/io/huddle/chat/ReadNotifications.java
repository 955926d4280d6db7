package io.huddle.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.huddle.read.MarkerMoved;
import io.huddle.room.DirectRoomId;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.enterprise.inject.Instance;
import java.util.Optional;

/**
 * Syncs read markers: a marker that moved becomes a {@code read} frame, through the broker to every
 * node, and each node sends it to every socket it has of that user, in whichever room (the other
 * devices clear their unread badges). In a direct conversation the other user's sockets get it too:
 * a read receipt, saying how far the reader has read. Best effort like every broker frame: a node
 * that misses one leaves a badge until the lists are loaded again (getRooms and GET /dms count from
 * PostgreSQL).
 */
@ApplicationScoped
class ReadNotifications {
  private final Instance<Broker> brokers;
  private final OpenSockets sockets;
  private final Hub hub;
  private final ObjectMapper mapper;

  ReadNotifications(Instance<Broker> brokers, OpenSockets sockets, Hub hub, ObjectMapper mapper) {
    this.brokers = brokers;
    this.sockets = sockets;
    this.hub = hub;
    this.mapper = mapper;
  }

  /** After the marker's commit (a rolled-back move tells nobody). */
  void onMoved(@Observes(during = TransactionPhase.AFTER_SUCCESS) MarkerMoved moved) {
    brokers
        .get()
        .publish(
            ChatFrame.read(
                moved.roomId(), String.valueOf(moved.userId()), moved.seq(), moved.at()));
  }

  /** A read frame from the broker (this node's or another's). */
  void received(ChatFrame frame) {
    if (frame.userId() == null || frame.roomId() == null || frame.seq() == null) {
      return;
    }
    NettyFrames.Outbound[] text = new NettyFrames.Outbound[1];
    Member.Drains drains = new Member.Drains();
    sendTo(frame.userId(), frame, text, drains);
    Optional<DirectRoomId> pair = DirectRoomId.parse(frame.roomId());
    if (pair.isPresent()) {
      long reader = Long.parseLong(frame.userId());
      long other = pair.get().low() == reader ? pair.get().high() : pair.get().low();
      sendTo(String.valueOf(other), frame, text, drains);
    }
    drains.schedule();
  }

  private void sendTo(
      String userId, ChatFrame frame, NettyFrames.Outbound[] text, Member.Drains drains) {
    for (WebSocketConnection connection : sockets.ofUser(userId)) {
      Member member = hub.member(connection);
      if (member == null) {
        continue;
      }
      if (text[0] == null) {
        // Encoded once per node, and only when someone here is to be told.
        text[0] = NettyFrames.Outbound.of(frame.toJson(mapper));
      }
      member.offer(text[0], 0, drains);
    }
  }
}
