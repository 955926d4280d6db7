package io.huddle.chat;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.huddle.message.MessageWriter;
import io.huddle.support.Api;
import io.huddle.support.Api.TestUser;
import io.huddle.support.Metrics;
import io.huddle.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HistoryTest {

  @TestHTTPResource("/")
  URI base;

  @Inject Vertx vertx;

  @Inject MessageWriter writer;

  private WsClient join(TestUser user, String room) {
    return WsClient.open(vertx, WsClient.to(base, room).bearer(user.token()));
  }

  private WsClient joinSince(TestUser user, String room, long since) {
    return WsClient.open(
        vertx,
        WsClient.toPath(base, "/api/v1/ws/joinRoom/" + room + "?since=" + since)
            .bearer(user.token()));
  }

  private static List<Long> seqs(JsonNode history) {
    List<Long> seqs = new ArrayList<>();
    history.path("messages").forEach(m -> seqs.add(m.path("seq").asLong()));
    return seqs;
  }

  private static List<Long> range(long from, long to) {
    List<Long> r = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      r.add(i);
    }
    return r;
  }

  /** Sends n messages with clientIds and waits for each ack; answers the acked seqs. */
  private static List<Long> sendAcked(WsClient client, String prefix, int n) {
    List<Long> acked = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String clientId = prefix + "-" + i;
      client.send(
          "{\"type\":\"message\",\"content\":\""
              + prefix
              + " "
              + i
              + "\",\"clientId\":\""
              + clientId
              + "\"}");
      JsonNode ack =
          client.next(
              f ->
                  "ack".equals(f.path("type").asText())
                      && clientId.equals(f.path("clientId").asText()));
      acked.add(ack.path("seq").asLong());
    }
    return acked;
  }

  private static ValidatableResponse page(TestUser user, String room, String query) {
    return given()
        .auth()
        .oauth2(user.token())
        .get("/api/v1/rooms/" + room + "/messages" + query)
        .then();
  }

  @Test
  void concurrentSendersGetGaplessSeqsInOneOrderForEveryone() throws Exception {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    TestUser carol = Api.newUser();
    String room = Api.newRoom(alice);
    try (WsClient a = join(alice, room);
        WsClient b = join(bob, room);
        WsClient c = join(carol, room)) {
      for (WsClient client : List.of(a, b, c)) {
        assertEquals(List.of(), seqs(client.nextOfType("history")));
      }
      int perSender = 100;
      List<CompletableFuture<Void>> senders = new ArrayList<>();
      for (WsClient sender : List.of(a, b, c)) {
        senders.add(
            CompletableFuture.runAsync(
                () -> {
                  for (int i = 0; i < perSender; i++) sender.send("m" + i);
                }));
      }
      CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get();
      List<List<String>> orders = new ArrayList<>();
      for (WsClient client : List.of(a, b, c)) {
        List<Long> seen = new ArrayList<>();
        List<String> order = new ArrayList<>();
        while (seen.size() < 3 * perSender) {
          JsonNode m = client.nextOfType("message");
          seen.add(m.path("seq").asLong());
          order.add(m.path("userId").asText() + ":" + m.path("content").asText());
        }
        assertEquals(range(1, 3 * perSender), seen, "gapless, increasing, each once");
        orders.add(order);
      }
      assertEquals(orders.get(0), orders.get(1));
      assertEquals(orders.get(0), orders.get(2));
    }
    // PostgreSQL holds exactly those, in that order.
    List<Long> stored = new ArrayList<>();
    for (long after = 0; ; ) {
      var response = page(alice, room, "?after=" + after + "&limit=500").statusCode(200).extract();
      List<Integer> got = response.path("messages.seq");
      got.forEach(s -> stored.add(s.longValue()));
      if (!(Boolean) response.path("hasMore")) {
        break;
      }
      after = stored.get(stored.size() - 1);
    }
    assertEquals(range(1, 300), stored);
  }

  @Test
  void joiningSendsTheLatestMessagesFirstThenLive() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newRoom(alice);
    try (WsClient a = join(alice, room)) {
      a.nextOfType("history");
      assertEquals(range(1, 60), sendAcked(a, "early", 60));
    }
    try (WsClient b = join(bob, room)) {
      JsonNode history = b.next();
      assertEquals("history", history.path("type").asText(), "the history frame comes first");
      assertEquals(room, history.path("roomId").asText());
      assertEquals(range(11, 60), seqs(history), "the latest 50, oldest first");
      JsonNode last = history.path("messages").get(49);
      assertEquals("message", last.path("type").asText());
      assertEquals("early 59", last.path("content").asText());
      assertEquals(alice.username(), last.path("username").asText());
      assertTrue(last.hasNonNull("sentAt"));
      assertFalse(history.has("truncated"));
      b.send("live one");
      assertEquals(61, b.next(f -> "message".equals(f.path("type").asText())).path("seq").asLong());
    }
  }

  @Test
  void catchUpSinceSendsExactlyWhatWasMissed() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newRoom(alice);
    try (WsClient a = join(alice, room)) {
      a.nextOfType("history");
      sendAcked(a, "before", 5);
    }
    try (WsClient b = joinSince(bob, room, 5)) {
      JsonNode history = b.nextOfType("history");
      assertEquals(List.of(), seqs(history));
      assertFalse(history.path("truncated").asBoolean(true));
    }
    try (WsClient a = join(alice, room)) {
      a.nextOfType("history");
      sendAcked(a, "missed", 7);
    }
    try (WsClient b = joinSince(bob, room, 5)) {
      JsonNode history = b.nextOfType("history");
      assertEquals(range(6, 12), seqs(history));
      assertFalse(history.path("truncated").asBoolean(true));
    }
    // More missed than one catch-up carries (20 in the test profile): the newest 20, truncated.
    try (WsClient a = join(alice, room)) {
      a.nextOfType("history");
      sendAcked(a, "many", 25);
    }
    try (WsClient b = joinSince(bob, room, 5)) {
      JsonNode history = b.nextOfType("history");
      assertEquals(range(18, 37), seqs(history));
      assertTrue(history.path("truncated").asBoolean(false));
    }
  }

  @Test
  void noGapAndNoDuplicateBetweenHistoryAndLive() throws Exception {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newRoom(alice);
    int total = 400;
    try (WsClient a = join(alice, room)) {
      a.nextOfType("history");
      CompletableFuture<Void> sending =
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; i < total; i++) a.send("flow " + i);
              });
      // Join (and re-join with ?since) while messages are being committed and broadcast.
      List<Long> seen = new ArrayList<>();
      try (WsClient b = join(bob, room)) {
        seen.addAll(seqs(b.nextOfType("history")));
        for (int i = 0; i < 40; i++) {
          seen.add(b.nextOfType("message").path("seq").asLong());
        }
      }
      long last = seen.get(seen.size() - 1);
      try (WsClient b = joinSince(bob, room, last)) {
        JsonNode history = b.nextOfType("history");
        List<Long> caughtUp = seqs(history);
        if (history.path("truncated").asBoolean(false)) {
          // More was missed than one frame carries: the client pages the gap through REST.
          List<Integer> gap =
              page(bob, room, "?after=" + last + "&before=" + caughtUp.get(0) + "&limit=500")
                  .statusCode(200)
                  .extract()
                  .path("messages.seq");
          gap.forEach(g -> seen.add(g.longValue()));
        }
        seen.addAll(caughtUp);
        while (seen.get(seen.size() - 1) < total) {
          seen.add(b.nextOfType("message").path("seq").asLong());
        }
      }
      sending.get();
      long first = seen.get(0);
      assertEquals(range(first, total), seen, "contiguous, each seq once");
    }
  }

  @Test
  void aResendWithTheSameClientIdIsStoredAndBroadcastOnce() throws Exception {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newRoom(alice);
    try (WsClient a = join(alice, room);
        WsClient b = join(bob, room)) {
      a.nextOfType("history");
      b.nextOfType("history");
      String frame = "{\"type\":\"message\",\"content\":\"once\",\"clientId\":\"same-key\"}";
      long resends = writer.resendBatches();
      a.send(frame);
      JsonNode ack = a.nextOfType("ack");
      // A new clientId takes the one-round-trip path: no second write of the batch.
      assertEquals(resends, writer.resendBatches());
      assertEquals("same-key", ack.path("clientId").asText());
      assertEquals(1, ack.path("seq").asLong());
      assertFalse(ack.path("duplicate").asBoolean(false));
      a.send(frame);
      JsonNode again = a.nextOfType("ack");
      assertEquals(1, again.path("seq").asLong(), "the original seq");
      assertTrue(again.path("duplicate").asBoolean(false));
      // The unique index refused the resend; the batch was written again with a look-up.
      assertEquals(resends + 1, writer.resendBatches());
      // The same key from another user is another message.
      b.send(frame);
      List<String> bobSaw = new ArrayList<>();
      while (bobSaw.size() < 3) {
        JsonNode f = b.next(x -> !"join".equals(x.path("type").asText()));
        bobSaw.add(f.path("type").asText() + " " + f.path("seq").asLong());
      }
      // Alice's message once, then Bob's own ack and message (the ack comes first).
      assertEquals(List.of("message 1", "ack 2", "message 2"), bobSaw);
      b.assertNoFrameFor(java.time.Duration.ofMillis(200));
    }
    page(alice, room, "").statusCode(200).body("messages", hasSize(2));
  }

  @Test
  void aBadClientIdIsRefused() {
    TestUser alice = Api.newUser();
    String room = Api.newRoom(alice);
    try (WsClient a = join(alice, room)) {
      a.nextOfType("history");
      a.send("{\"type\":\"message\",\"content\":\"x\",\"clientId\":\"" + "k".repeat(65) + "\"}");
      assertEquals(
          "error", a.next(f -> !"join".equals(f.path("type").asText())).path("type").asText());
      a.send("{\"type\":\"message\",\"content\":\"x\",\"clientId\":5}");
      assertEquals("error", a.next().path("type").asText());
    }
    page(alice, room, "").statusCode(200).body("messages", hasSize(0));
  }

  @Test
  void restPagingCoversTheEdges() {
    TestUser alice = Api.newUser();
    String room = Api.newRoom(alice);
    page(alice, room, "")
        .statusCode(200)
        .body("messages", hasSize(0))
        .body("hasMore", equalTo(false));
    try (WsClient a = join(alice, room)) {
      a.nextOfType("history");
      sendAcked(a, "p", 10);
    }
    // The group-commit counters are exported (and keep counting: no weakly held supplier).
    System.gc();
    double stored = Metrics.value("huddle_messages_stored_total");
    assertTrue(stored >= 10, "huddle_messages_stored_total = " + stored);
    page(alice, room, "?limit=3")
        .statusCode(200)
        .body("messages.seq", equalTo(List.of(8, 9, 10)))
        .body("messages[0].type", equalTo("message"))
        .body("messages[0].content", equalTo("p 7"))
        .body("messages[0].username", equalTo(alice.username()))
        .body("messages[0].sentAt", notNullValue())
        .body("hasMore", equalTo(true));
    page(alice, room, "?before=8&limit=3")
        .body("messages.seq", equalTo(List.of(5, 6, 7)))
        .body("hasMore", equalTo(true));
    page(alice, room, "?before=2&limit=3")
        .body("messages.seq", equalTo(List.of(1)))
        .body("hasMore", equalTo(false));
    page(alice, room, "?before=1").body("messages", hasSize(0)).body("hasMore", equalTo(false));
    page(alice, room, "?after=0&limit=3")
        .body("messages.seq", equalTo(List.of(1, 2, 3)))
        .body("hasMore", equalTo(true));
    page(alice, room, "?after=7&limit=3")
        .body("messages.seq", equalTo(List.of(8, 9, 10)))
        .body("hasMore", equalTo(false));
    page(alice, room, "?after=10").body("messages", hasSize(0)).body("hasMore", equalTo(false));
    page(alice, room, "?after=1000").body("messages", hasSize(0)).body("hasMore", equalTo(false));
    page(alice, room, "?after=2&before=6")
        .body("messages.seq", equalTo(List.of(3, 4, 5)))
        .body("hasMore", equalTo(false));
    page(alice, room, "?limit=500").body("messages", hasSize(10));

    for (String bad :
        List.of(
            "?limit=0",
            "?limit=501",
            "?limit=abc",
            "?before=abc",
            "?before=0",
            "?after=-1",
            "?after=1.5")) {
      page(alice, room, bad).statusCode(400).body("error", notNullValue());
    }
    page(alice, "no-such-room", "")
        .statusCode(404)
        .body("error", equalTo("Room 'no-such-room' does not exist"));
    given()
        .get("/api/v1/rooms/" + room + "/messages")
        .then()
        .statusCode(401)
        .body("error", notNullValue());
  }

  @Test
  void aBadSinceIsRefusedBeforeTheUpgrade() {
    TestUser alice = Api.newUser();
    String room = Api.newRoom(alice);
    assertEquals(
        400,
        WsClient.rejectedStatus(
            vertx,
            WsClient.toPath(base, "/api/v1/ws/joinRoom/" + room + "?since=abc")
                .bearer(alice.token())));
    assertEquals(
        400,
        WsClient.rejectedStatus(
            vertx,
            WsClient.toPath(base, "/api/v1/ws/joinRoom/" + room + "?since=-3")
                .bearer(alice.token())));
  }
}
