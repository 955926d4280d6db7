package io.huddle.message;

import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads a room's history; every list is oldest first. */
@ApplicationScoped
public class MessageStore {
  private static final String BASE = "from Message m join fetch m.user where m.roomId = :room";

  /** One page of history, and whether more lies beyond it in the paging direction. */
  public record Page(List<StoredMessage> messages, boolean hasMore) {}

  /** The newest {@code limit} messages with seq &gt; {@code after} (use 0 for all). */
  @Transactional
  public List<StoredMessage> latest(String roomId, long after, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    List<Message> newestFirst =
        Message.<Message>find(
                BASE + " and m.seq > :after order by m.seq desc",
                Parameters.with("room", roomId).and("after", after))
            .page(0, limit)
            .list();
    List<StoredMessage> result = new ArrayList<>(newestFirst.size());
    for (Message m : newestFirst) {
      result.add(m.toStored());
    }
    Collections.reverse(result);
    return result;
  }

  /** Messages with {@code after < seq < before}, oldest first (at most 10 000: a gap fill). */
  @Transactional
  public List<StoredMessage> between(String roomId, long after, long before) {
    return Message.<Message>find(
            BASE + " and m.seq > :after and m.seq < :before order by m.seq asc",
            Parameters.with("room", roomId).and("after", after).and("before", before))
        .page(0, 10_000)
        .list()
        .stream()
        .map(Message::toStored)
        .toList();
  }

  /** The room's last committed seq (0 when it has no message or does not exist). */
  @Transactional
  public long lastSeq(String roomId) {
    List<?> rows =
        Message.getEntityManager()
            .createNativeQuery("SELECT last_seq FROM rooms WHERE id = ?1")
            .setParameter(1, roomId)
            .getResultList();
    return rows.isEmpty() ? 0 : ((Number) rows.get(0)).longValue();
  }

  /** Last committed seq of each of the given rooms. */
  @Transactional
  public Map<String, Long> lastSeqs(Collection<String> roomIds) {
    Map<String, Long> seqs = new HashMap<>();
    if (roomIds.isEmpty()) {
      return seqs;
    }
    List<?> rows =
        Message.getEntityManager()
            .createNativeQuery("SELECT id, last_seq FROM rooms WHERE id IN (?1)")
            .setParameter(1, roomIds)
            .getResultList();
    for (Object row : rows) {
      Object[] cols = (Object[]) row;
      seqs.put((String) cols[0], ((Number) cols[1]).longValue());
    }
    return seqs;
  }

  /**
   * A page for REST: with {@code after}, the first {@code limit} messages after it (forwards);
   * otherwise the last {@code limit} before {@code before} (backwards from the newest when absent).
   */
  @Transactional
  public Page page(String roomId, Long before, Long after, int limit) {
    String bound = before == null ? "" : " and m.seq < :before";
    Parameters params = Parameters.with("room", roomId);
    if (before != null) {
      params = params.and("before", before);
    }
    if (after != null) {
      params = params.and("after", after);
      List<Message> rows =
          Message.<Message>find(
                  BASE + " and m.seq > :after" + bound + " order by m.seq asc", params)
              .page(0, limit + 1)
              .list();
      return pageOf(rows, limit, false);
    }
    List<Message> rows =
        Message.<Message>find(BASE + bound + " order by m.seq desc", params)
            .page(0, limit + 1)
            .list();
    return pageOf(rows, limit, true);
  }

  /** The first {@code limit} of {@code limit + 1} rows; the extra row only says there is more. */
  private static Page pageOf(List<Message> rows, int limit, boolean newestFirst) {
    List<StoredMessage> page = new ArrayList<>();
    for (Message m : rows.subList(0, Math.min(limit, rows.size()))) {
      page.add(m.toStored());
    }
    if (newestFirst) {
      Collections.reverse(page);
    }
    return new Page(page, rows.size() > limit);
  }
}
