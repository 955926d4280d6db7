package io.huddle.message;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.huddle.support.Api;
import io.huddle.support.Api.TestUser;
import io.huddle.support.WsClient;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** With tracing switched on: REST calls and a message's receive → commit → broadcast spans. */
@QuarkusTest
@TestProfile(TracingTest.TracingOn.class)
class TracingTest {
  public static class TracingOn implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      // Spans go to SpanCapture only: no collector to export to here.
      return Map.of("quarkus.otel.sdk.disabled", "false", "quarkus.otel.traces.exporter", "none");
    }
  }

  @TestHTTPResource("/")
  URI base;

  @Inject Vertx vertx;

  @Inject InMemorySpanExporter spans;

  private Optional<SpanData> span(String name, String room) {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals(name))
        .filter(s -> room.equals(s.getAttributes().get(MessageTracing.ROOM)))
        .findFirst();
  }

  @Test
  void aMessageIsTracedFromReceiveThroughCommitToBroadcast() {
    TestUser alice = Api.newUser();
    String room = Api.newRoom(alice);
    try (WsClient a = WsClient.open(vertx, WsClient.to(base, room).bearer(alice.token()))) {
      a.nextOfType("history");
      a.send("{\"type\":\"message\",\"content\":\"traced\",\"clientId\":\"t1\"}");
      assertEquals("t1", a.nextOfType("ack").path("clientId").asText());
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> span("huddle.message", room).isPresent());
    SpanData message = span("huddle.message", room).orElseThrow();
    assertEquals(1L, message.getAttributes().get(MessageTracing.SEQ));
    assertEquals("t1", message.getAttributes().get(MessageTracing.CLIENT_ID));
    assertEquals(Long.valueOf(alice.id()), message.getAttributes().get(MessageTracing.USER));

    // The broadcast on the storing node is the message's child, in the same trace (the room's
    // join notice has a broadcast span of its own, without a seq).
    SpanData broadcast =
        spans.getFinishedSpanItems().stream()
            .filter(s -> s.getName().equals("huddle.message.broadcast"))
            .filter(s -> room.equals(s.getAttributes().get(MessageTracing.ROOM)))
            .filter(s -> Long.valueOf(1).equals(s.getAttributes().get(MessageTracing.SEQ)))
            .findFirst()
            .orElseThrow();
    assertEquals(message.getTraceId(), broadcast.getTraceId());
    assertEquals(message.getSpanId(), broadcast.getParentSpanId());
    assertEquals(1L, broadcast.getAttributes().get(MessageTracing.MEMBERS));

    // The commit batch that stored it links to it.
    List<SpanData> commits =
        spans.getFinishedSpanItems().stream()
            .filter(s -> s.getName().equals("huddle.message.commit"))
            .filter(
                s ->
                    s.getLinks().stream()
                        .anyMatch(l -> l.getSpanContext().getSpanId().equals(message.getSpanId())))
            .toList();
    assertEquals(1, commits.size(), "one commit span links to the message");
    assertTrue(commits.get(0).getAttributes().get(MessageTracing.BATCH) >= 1);
  }

  @Test
  void restCallsAreTraced() {
    TestUser alice = Api.newUser();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                spans.getFinishedSpanItems().stream()
                    .anyMatch(s -> s.getName().equals("POST /api/v1/user/login")));
    assertTrue(alice.token().length() > 20);
  }
}
