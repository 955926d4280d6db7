package io.huddle.message;

import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

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
      boolean more = rows.size() > limit;
      List<StoredMessage> page = new ArrayList<>();
      for (Message m : rows.subList(0, Math.min(limit, rows.size()))) {
        page.add(m.toStored());
      }
      return new Page(page, more);
    }
    List<Message> rows =
        Message.<Message>find(BASE + bound + " order by m.seq desc", params)
            .page(0, limit + 1)
            .list();
    boolean more = rows.size() > limit;
    List<StoredMessage> page = new ArrayList<>();
    for (Message m : rows.subList(0, Math.min(limit, rows.size()))) {
      page.add(m.toStored());
    }
    Collections.reverse(page);
    return new Page(page, more);
  }
}
