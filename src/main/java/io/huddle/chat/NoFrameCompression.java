package io.huddle.chat;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Declines the old per-frame deflate extension ({@code x-webkit-deflate-frame}, {@code
 * deflate-frame}), which Vert.x accepts by default and websockets-next has no setting for: like
 * permessage-deflate (off through {@code
 * quarkus.websockets-next.server.per-message-compression-supported=false}), a compressed frame is
 * inflated whole before any size limit applies, so a few small frames could inflate to gigabytes.
 */
@ApplicationScoped
public class NoFrameCompression implements HttpServerOptionsCustomizer {
  @Override
  public void customizeHttpServer(HttpServerOptions options) {
    options.setPerFrameWebSocketCompressionSupported(false);
  }
}
