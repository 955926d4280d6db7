package io.huddle.chat;

import java.util.function.Consumer;

/**
 * Carries room events between the Hub and every node that has members of the room. The in-memory
 * implementation serves a single node; a replicated one only has to replace this bean.
 */
public interface Broker {

  /** Hands an event to every subscriber of its room, on every node. */
  void publish(ChatFrame frame);

  /** Registers the local Hub as the receiver of every published event. */
  void subscribe(Consumer<ChatFrame> receiver);
}
