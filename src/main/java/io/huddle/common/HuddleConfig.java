package io.huddle.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Huddle's own settings; see the configuration table in the README. */
@ConfigMapping(prefix = "huddle")
public interface HuddleConfig {

  Token token();

  Websocket websocket();

  Chat chat();

  interface Token {
    /** How long an issued token (and its cookie) is valid. */
    @WithDefault("24H")
    Duration lifetime();

    /** Whether the access_token cookie carries the Secure attribute. */
    @WithDefault("false")
    boolean cookieSecure();
  }

  interface Websocket {
    /** Origins, besides the server's own, that may open a WebSocket. */
    Optional<List<String>> allowedOrigins();
  }

  interface Chat {
    /** Longest chat message, in characters. */
    @WithDefault("4000")
    @Min(1)
    int maxContentLength();

    /** Frames queued for one connection before it is closed as a slow consumer. */
    @WithDefault("1000")
    @Min(1)
    int maxBacklog();
  }
}
