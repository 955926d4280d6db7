package io.huddle.chat;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.huddle.support.Api;
import io.huddle.support.Api.TestUser;
import io.huddle.support.Metrics;
import io.huddle.support.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Typing notices with real sockets, on the default limits: typing-per-connection 1/1S burst 3,
 * typing-window 2S, typing-expiry 5S (the test profile turns only the message limits off).
 */
@QuarkusTest
class TypingTest {
  private static final String TYPING = "{\"type\":\"typing\"}";
  private static final String TYPING_REFUSED =
      "huddle_rate_limited_total{limit=\"typing-per-connection\"}";

  @TestHTTPResource("/")
  URI base;

  @Inject Vertx vertx;

  private WsClient join(TestUser user, String room) {
    WsClient client = WsClient.open(vertx, WsClient.to(base, room).bearer(user.token()));
    client.nextOfType("history");
    return client;
  }

  private static boolean isTyping(JsonNode frame) {
    return "typing".equals(frame.path("type").asText());
  }

  /** Waits out the join notices the test's own sockets caused, then clears what came. */
  private static void settle(WsClient... clients) {
    pause(Duration.ofMillis(500));
    for (WsClient c : clients) {
      c.drain();
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static long typingNotices(WsClient client, Duration within) {
    pause(within);
    return client.drain().stream().filter(TypingTest::isTyping).count();
  }

  @Test
  void theOthersSeeTheTypistButNoneOfTheTypistsOwnSocketsDo() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    TestUser carol = Api.newUser();
    String room = Api.newRoom(alice);
    String otherRoom = Api.newRoom(carol);
    try (WsClient phone = join(alice, room);
        WsClient laptop = join(alice, room);
        WsClient b = join(bob, room);
        WsClient c = join(carol, otherRoom)) {
      settle(phone, laptop, b, c);
      phone.send(TYPING);

      JsonNode notice = b.next(TypingTest::isTyping);
      assertEquals(room, notice.path("roomId").asText());
      assertEquals(alice.id(), notice.path("userId").asText());
      assertEquals(alice.username(), notice.path("username").asText());
      assertEquals(5000, notice.path("expiresInMs").asLong());
      assertFalse(notice.has("seq"), notice.toString());
      assertFalse(notice.has("content"), notice.toString());
      // Neither the socket that typed nor the typist's other device, and nothing in another room.
      phone.assertNoFrameFor(Duration.ofMillis(500));
      laptop.assertNoFrameFor(Duration.ofMillis(200));
      c.assertNoFrameFor(Duration.ofMillis(200));

      // The others' typing reaches alice's sockets, both of them.
      b.send(TYPING);
      for (WsClient a : List.of(phone, laptop)) {
        assertEquals(bob.id(), a.next(TypingTest::isTyping).path("userId").asText());
      }
    }
  }

  @Test
  void manyFramesFromSeveralSocketsMakeOneNoticePerWindow() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newRoom(alice);
    try (WsClient phone = join(alice, room);
        WsClient laptop = join(alice, room);
        WsClient b = join(bob, room)) {
      settle(phone, laptop, b);
      // Within each socket's burst of 3: only the window coalesces them.
      for (int i = 0; i < 3; i++) {
        phone.send(TYPING);
        laptop.send(TYPING);
      }
      assertEquals(1, typingNotices(b, Duration.ofMillis(1200)), "one notice in the window");

      // The window (2 s) over, the next frame makes the next notice.
      pause(Duration.ofMillis(1000));
      laptop.send(TYPING);
      b.next(TypingTest::isTyping);
    }
  }

  @Test
  void aTypingFloodGetsNoErrorsAndNoMoreNoticesAndTheSocketStaysUsable() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newRoom(alice);
    try (WsClient a = join(alice, room);
        WsClient b = join(bob, room)) {
      settle(a, b);
      double droppedBefore = Metrics.value(TYPING_REFUSED);
      long start = System.nanoTime();
      for (int i = 0; i < 200; i++) {
        a.send(TYPING);
      }
      // 200 frames in well under a window: at most a notice per started window reaches bob.
      long windows = 1 + (System.nanoTime() - start) / 2_000_000_000L;
      long notices = typingNotices(b, Duration.ofMillis(1500));
      assertTrue(notices >= 1 && notices <= windows, notices + " notices in " + windows);
      // Dropped silently: not one error frame (nor anything else) to the typist.
      a.assertNoFrameFor(Duration.ofMillis(300));
      // ...but by the socket's typing limit (burst 3, 1/s), not only by the coalescing window.
      long seconds = 1 + (System.nanoTime() - start) / 1_000_000_000L;
      double dropped = Metrics.value(TYPING_REFUSED) - droppedBefore;
      assertTrue(dropped >= 200 - 3 - seconds, dropped + " typing frames dropped by the limit");

      a.send("{\"type\":\"message\",\"content\":\"still here\",\"clientId\":\"t-1\"}");
      assertEquals("t-1", a.nextOfType("ack").path("clientId").asText());
      assertEquals("still here", b.nextOfType("message").path("content").asText());
    }
  }

  @Test
  void typingIsNeverStored() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newRoom(alice);
    try (WsClient a = join(alice, room);
        WsClient b = join(bob, room)) {
      settle(a, b);
      a.send(TYPING);
      b.next(TypingTest::isTyping);
    }
    given()
        .auth()
        .oauth2(alice.token())
        .get("/api/v1/rooms/" + room + "/messages")
        .then()
        .statusCode(200)
        .body("messages", hasSize(0));
    // A newcomer's history has no typing either.
    WsClient late = WsClient.open(vertx, WsClient.to(base, room).bearer(bob.token()));
    try (late) {
      JsonNode history = late.nextOfType("history");
      assertEquals(0, history.path("messages").size(), history.toString());
    }
  }

  @Test
  void aTypingFrameWithFieldsOtherThanTypeIsStillOnlyTyping() {
    TestUser alice = Api.newUser();
    TestUser bob = Api.newUser();
    String room = Api.newRoom(alice);
    try (WsClient a = join(alice, room);
        WsClient b = join(bob, room)) {
      settle(a, b);
      a.send("{\"type\":\"typing\",\"content\":\"not a message\"}");
      b.next(TypingTest::isTyping);
      b.assertNoFrameFor(Duration.ofMillis(500));
      a.assertNoFrameFor(Duration.ofMillis(200));
    }
  }
}
