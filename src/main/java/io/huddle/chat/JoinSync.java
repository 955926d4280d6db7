package io.huddle.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.huddle.auth.AuthUser;
import io.huddle.common.HuddleConfig;
import io.huddle.message.MessageStore;
import io.huddle.message.StoredMessage;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * A connection's join: it becomes a member of its room first, then gets the room's history, then
 * its live frames, with no gap and no duplicate between the two (the member holds live frames back
 * until the history is queued, then drops those the history covered).
 */
@ApplicationScoped
class JoinSync {
  private final Hub hub;
  private final HuddleConfig config;
  private final MessageStore store;
  private final ObjectMapper mapper;

  JoinSync(Hub hub, HuddleConfig config, MessageStore store, ObjectMapper mapper) {
    this.hub = hub;
    this.config = config;
    this.store = store;
    this.mapper = mapper;
  }

  /**
   * Adds a connection to its room, sends it the room's history, then its live frames. Blocking
   * (reads PostgreSQL): call it from the connection's {@code @OnOpen} on a worker thread.
   *
   * @param since the last seq the client has (catch-up after a reconnect), or null for the latest
   *     {@code huddle.history.join-limit} messages
   */
  void join(String roomId, WebSocketConnection connection, AuthUser user, Long since) {
    Member member = hub.newMember(roomId, connection, user);
    RoomMembers joined = hub.join(member, () -> lastStoredSeq(roomId));
    sendHistory(member, since, joined);
    if (connection.isClosed()) {
      // Closed while @OnOpen ran: websockets-next may then never call @OnClose (see
      // OpenSockets.sweepClosed).
      hub.leave(connection);
    }
  }

  private long lastStoredSeq(String roomId) {
    if (!config.history().enabled()) {
      return 0;
    }
    try {
      return store.lastSeq(roomId);
    } catch (RuntimeException e) {
      Log.warnf("Sequence of room %s unavailable: %s", roomId, e.getMessage());
      return RoomMembers.UNKNOWN_SEQ;
    }
  }

  /**
   * Whether the history frame is certainly empty without asking PostgreSQL: the member is in the
   * room, so every seq above what the room has delivered reaches it live; when the room has
   * delivered nothing yet (an empty room), or the client already has everything delivered (a
   * reconnect with an up-to-date {@code ?since=}), there is nothing older to send. Saves a query
   * per handshake in reconnect storms.
   *
   * @param room the member's room if it was already active on this node, else null (read)
   */
  private static boolean nothingToRead(RoomMembers room, Long since) {
    if (room == null) {
      return false;
    }
    synchronized (room) {
      return room.seqKnown && (since == null ? room.lastSeq == 0 : since >= room.lastSeq);
    }
  }

  private void sendHistory(Member member, Long since, RoomMembers room) {
    HuddleConfig.History history = config.history();
    List<StoredMessage> messages;
    try {
      messages =
          !history.enabled() || nothingToRead(room, since)
              ? List.of()
              : since == null
                  ? store.latest(member.roomId, 0, history.joinLimit())
                  : store.latest(member.roomId, since, history.catchUpLimit());
    } catch (RuntimeException e) {
      // Without the history there is no gap-free start: say so, and close so the client
      // reconnects (with ?since=) once the database answers again.
      Log.warnf("History of room %s unavailable: %s", member.roomId, e.getMessage());
      member.goLive(
          ChatFrame.error("History is unavailable right now: reconnect with ?since= shortly")
              .toJson(mapper),
          Long.MAX_VALUE);
      member.runOnContext(
          () ->
              SocketClose.quietly(
                  member.connection, SocketClose.INTERNAL_ERROR, "History unavailable, reconnect"));
      return;
    }
    List<ChatFrame> frames = messages.stream().map(ChatFrame::of).toList();
    long covered = messages.isEmpty() ? 0 : messages.get(messages.size() - 1).seq();
    Boolean truncated = null;
    if (since != null) {
      covered = Math.max(covered, since);
      // More was missed than this frame carries (bound or retention): page the rest over REST.
      truncated = !messages.isEmpty() && messages.get(0).seq() > since + 1;
    }
    member.goLive(ChatFrame.history(member.roomId, frames, truncated).toJson(mapper), covered);
  }
}
