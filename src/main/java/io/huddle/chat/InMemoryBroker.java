package io.huddle.chat;

import io.quarkus.arc.lookup.LookupUnlessProperty;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Objects;
import java.util.function.Consumer;

/** Single-node delivery (the default): a published event goes straight to the local Hub. */
@ApplicationScoped
@LookupUnlessProperty(name = "huddle.broker", stringValue = "redis")
public class InMemoryBroker implements Broker {
  private volatile Consumer<ChatFrame> receiver = frame -> {};

  @Override
  public void publish(ChatFrame frame) {
    receiver.accept(frame);
  }

  @Override
  public void subscribe(Consumer<ChatFrame> receiver) {
    this.receiver = Objects.requireNonNull(receiver);
  }
}
