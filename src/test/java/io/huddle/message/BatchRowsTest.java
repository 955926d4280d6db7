package io.huddle.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.huddle.support.Api;
import io.huddle.support.Api.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The writer's SQL against the real PostgreSQL, as two replicas' writers run it at once: a batch of
 * one room relies on the UPDATE's row lock, a batch of several rooms locks them in id order first.
 * Either way every room's seqs are gapless and each row is stored once, and two batches naming the
 * same rooms in opposite orders do not deadlock.
 */
@QuarkusTest
class BatchRowsTest {

  @Inject AgroalDataSource dataSource;

  private static PendingWrite message(String room, TestUser user, String content) {
    return new PendingWrite(
        room,
        Long.parseLong(user.id()),
        user.username(),
        content,
        null,
        Instant.now(),
        null,
        result -> {});
  }

  private List<Long> write(List<PendingWrite> batch) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      List<Long> seqs = new ArrayList<>();
      for (WriteResult r : BatchRows.write(c, batch, false)) {
        seqs.add(r.message().seq());
      }
      return seqs;
    }
  }

  private List<String> stored(String room) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "SELECT seq, content FROM messages WHERE room_id = ? ORDER BY seq")) {
      q.setString(1, room);
      List<String> rows = new ArrayList<>();
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          rows.add(rs.getLong(1) + " " + rs.getString(2));
        }
      }
      return rows;
    }
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  @Test
  void oneRoomAndSeveralRoomBatchesNumberEachRoomFromItsLastSeq() throws Exception {
    TestUser alice = Api.newUser();
    String r1 = Api.newRoom(alice);
    String r2 = Api.newRoom(alice);
    assertEquals(List.of(1L, 2L), write(List.of(message(r1, alice, "a"), message(r1, alice, "b"))));
    assertEquals(
        List.of(1L, 3L, 2L, 4L, 3L),
        write(
            List.of(
                message(r2, alice, "c"),
                message(r1, alice, "d"),
                message(r2, alice, "e"),
                message(r1, alice, "f"),
                message(r2, alice, "g"))));
    assertEquals(List.of(5L), write(List.of(message(r1, alice, "h"))));
    assertEquals(List.of("1 a", "2 b", "3 d", "4 f", "5 h"), stored(r1));
    assertEquals(List.of("1 c", "2 e", "3 g"), stored(r2));
  }

  @Test
  void concurrentWritersStayGaplessAndNeverDeadlock() throws Exception {
    TestUser alice = Api.newUser();
    String r1 = Api.newRoom(alice);
    String r2 = Api.newRoom(alice);
    int rounds = 150;
    List<Callable<Void>> writers = new ArrayList<>();
    // Two one-room writers on r1 (no explicit lock) and two that write both rooms, naming them in
    // opposite orders (the id-order lock keeps them from deadlocking).
    for (String name : List.of("x", "y")) {
      writers.add(
          () -> {
            for (int i = 0; i < rounds; i++) {
              write(List.of(message(r1, alice, name + i), message(r1, alice, name + i)));
            }
            return null;
          });
    }
    writers.add(
        () -> {
          for (int i = 0; i < rounds; i++) {
            write(List.of(message(r1, alice, "p" + i), message(r2, alice, "p" + i)));
          }
          return null;
        });
    writers.add(
        () -> {
          for (int i = 0; i < rounds; i++) {
            write(List.of(message(r2, alice, "q" + i), message(r1, alice, "q" + i)));
          }
          return null;
        });
    ExecutorService pool = Executors.newFixedThreadPool(writers.size());
    try {
      for (Future<Void> f : pool.invokeAll(writers, 2, TimeUnit.MINUTES)) {
        f.get(); // a deadlock would surface here as PostgreSQL's 40P01
      }
    } finally {
      pool.shutdownNow();
    }
    List<Long> seqs1 = stored(r1).stream().map(s -> Long.parseLong(s.split(" ")[0])).toList();
    List<Long> seqs2 = stored(r2).stream().map(s -> Long.parseLong(s.split(" ")[0])).toList();
    assertEquals(range(1, 6L * rounds), seqs1);
    assertEquals(range(1, 2L * rounds), seqs2);
  }
}
