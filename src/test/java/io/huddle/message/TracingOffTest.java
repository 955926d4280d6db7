package io.huddle.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.huddle.support.Api;
import io.huddle.support.Api.TestUser;
import io.huddle.support.WsClient;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The shipped default: tracing off, so a message and a REST call leave no span. */
@QuarkusTest
class TracingOffTest {
  @TestHTTPResource("/")
  URI base;

  @Inject Vertx vertx;

  @Inject InMemorySpanExporter spans;

  @Inject MessageTracing tracing;

  @Test
  void nothingIsTracedByDefault() {
    assertFalse(tracing.enabled());
    spans.reset();
    TestUser alice = Api.newUser();
    String room = Api.newRoom(alice);
    try (WsClient a = WsClient.open(vertx, WsClient.to(base, room).bearer(alice.token()))) {
      a.nextOfType("history");
      a.send("{\"type\":\"message\",\"content\":\"untraced\",\"clientId\":\"u1\"}");
      a.nextOfType("ack");
    }
    assertEquals(0, spans.getFinishedSpanItems().size(), spans.getFinishedSpanItems().toString());
  }
}
