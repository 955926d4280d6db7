package io.huddle.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.huddle.support.Api;
import io.huddle.support.Api.TestUser;
import io.huddle.support.WsClient;
import io.restassured.RestAssured;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM on a real server process while clients chat: 1001 for everyone, no acked message lost.
 */
class ShutdownIT {
  private static Vertx vertx;

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void close() {
    vertx.close();
  }

  @Test
  void sigtermDrainsThenClosesWith1001AndLosesNoAckedMessage() throws Exception {
    try (ServerProcess server =
        ServerProcess.start("shutdown", Map.of("QUARKUS_SHUTDOWN_DELAY", "3s"))) {
      RestAssured.baseURI = "http://127.0.0.1";
      RestAssured.port = server.port();
      TestUser alice = Api.newUser();
      TestUser bob = Api.newUser();
      String room = Api.newRoom(alice);
      WsClient a = WsClient.open(vertx, WsClient.to(server.base(), room).bearer(alice.token()));
      WsClient b = WsClient.open(vertx, WsClient.to(server.base(), room).bearer(bob.token()));
      a.nextOfType("history");
      b.nextOfType("history");

      // Alice keeps sending while the server is told to stop.
      CompletableFuture<Void> sending =
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; i < 2000 && !a.isClosed(); i++) {
                  try {
                    a.send(
                        "{\"type\":\"message\",\"content\":\"m"
                            + i
                            + "\",\"clientId\":\"k"
                            + i
                            + "\"}");
                    Thread.sleep(2);
                  } catch (Exception e) {
                    return;
                  }
                }
              });
      Thread.sleep(500);
      server.terminate();

      // Readiness goes DOWN and new sockets are refused while the open ones still work.
      Awaitility.await()
          .atMost(Duration.ofSeconds(2))
          .until(() -> server.managementStatus("/q/health/ready") == 503);
      assertFalse(a.isClosed(), "sockets stay open during the shutdown delay");
      assertEquals(
          503,
          WsClient.rejectedStatus(vertx, WsClient.to(server.base(), room).bearer(bob.token())));

      assertEquals(1001, a.awaitClose(Duration.ofSeconds(20)));
      assertEquals(1001, b.awaitClose(Duration.ofSeconds(5)));
      sending.join();
      assertTrue(server.awaitExit(Duration.ofSeconds(35)), "exits within the shutdown timeout");

      // Every ack Alice got names a message that is in PostgreSQL, with its content.
      TreeMap<Long, String> acked = new TreeMap<>();
      for (JsonNode f : a.drain()) {
        if ("ack".equals(f.path("type").asText())) {
          acked.put(f.path("seq").asLong(), "m" + f.path("clientId").asText().substring(1));
        }
      }
      assertTrue(acked.size() > 10, "acks before the stop: " + acked.size());
      a.close();
      b.close();

      server.restart();
      RestAssured.port = server.port();
      Map<Long, String> stored = new TreeMap<>();
      long after = 0;
      while (true) {
        var page =
            RestAssured.given()
                .auth()
                .oauth2(alice.token())
                .get("/api/v1/rooms/" + room + "/messages?limit=500&after=" + after)
                .then()
                .statusCode(200)
                .extract();
        List<Integer> seqs = page.path("messages.seq");
        List<String> contents = page.path("messages.content");
        for (int i = 0; i < seqs.size(); i++) {
          stored.put(seqs.get(i).longValue(), contents.get(i));
        }
        if (!(Boolean) page.path("hasMore")) {
          break;
        }
        after = seqs.get(seqs.size() - 1);
      }
      for (var e : acked.entrySet()) {
        assertEquals(e.getValue(), stored.get(e.getKey()), "acked seq " + e.getKey());
      }
      List<Long> expected = new ArrayList<>();
      for (long s = 1; s <= stored.size(); s++) {
        expected.add(s);
      }
      assertEquals(expected, new ArrayList<>(stored.keySet()), "gapless after the restart");
    } finally {
      RestAssured.reset();
    }
  }
}
