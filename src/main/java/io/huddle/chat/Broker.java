package io.huddle.chat;

import io.huddle.room.RoomRecords.ClientResponse;
import java.util.List;
import java.util.function.Consumer;

/**
 * Carries room events between the Hub and every node that has members of the room, and keeps
 * presence across nodes. The in-memory implementation serves a single node; the Redis one ({@code
 * huddle.broker=redis}) makes several replicas one chat service.
 */
public interface Broker {

  /**
   * Hands an event to the local Hub at once and to every other node. Message frames carry their
   * room's {@code seq}; receivers drop what they already delivered and fill gaps from PostgreSQL.
   */
  void publish(ChatFrame frame);

  /** Registers the local Hub as the receiver of every event, local or remote. */
  void subscribe(Consumer<ChatFrame> receiver);

  /**
   * The user's first connection to the room on this node opened. Blocking: called off the event
   * loop.
   *
   * @return true when the user was not in the room on any node (announce the join)
   */
  default boolean userJoined(String roomId, String userId, String username) {
    return true;
  }

  /**
   * The user's last connection to the room on this node closed. Blocking.
   *
   * @return true when the user is now in the room on no node (announce the leave)
   */
  default boolean userLeft(String roomId, String userId) {
    return true;
  }

  /** Users in the room on any node, each once, given those on this node. Blocking. */
  default List<ClientResponse> clients(String roomId, List<ClientResponse> local) {
    return local;
  }

  /** Whether other nodes publish too, so this node must check for missed messages. */
  default boolean replicated() {
    return false;
  }
}
