package io.huddle.moderation;

import io.huddle.auth.AuthUser;
import io.huddle.common.QueryNumbers;
import io.huddle.moderation.ModerationRecords.EntryPage;
import io.huddle.moderation.ModerationRecords.EntryResponse;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;

/** The room's audit trail, newest first, for its owner and admins. */
@ApplicationScoped
public class ModerationLog {
  static final int DEFAULT_PAGE_SIZE = 50;
  static final int MAX_PAGE_SIZE = 200;

  private final ModerationGuard guard;

  public ModerationLog(ModerationGuard guard) {
    this.guard = guard;
  }

  /**
   * @param limit page size as sent (null: {@value #DEFAULT_PAGE_SIZE})
   * @param before the {@code next} of the previous page (an entry id), or null for the newest
   */
  @Transactional
  public EntryPage page(String roomId, AuthUser caller, String limit, String before) {
    Long size = QueryNumbers.parse("limit", limit, 1, MAX_PAGE_SIZE);
    Long beforeId = QueryNumbers.parse("before", before, 1, Long.MAX_VALUE);
    int pageSize = size == null ? DEFAULT_PAGE_SIZE : size.intValue();
    guard.requireModerator(roomId, caller);
    String query = "roomId = :room";
    Parameters params = Parameters.with("room", roomId);
    if (beforeId != null) {
      query += " and id < :before";
      params.and("before", beforeId);
    }
    List<ModerationEntry> found =
        ModerationEntry.<ModerationEntry>find(query, Sort.descending("id"), params)
            .range(0, pageSize)
            .list();
    boolean more = found.size() > pageSize;
    List<ModerationEntry> page = more ? found.subList(0, pageSize) : found;
    return new EntryPage(
        page.stream().map(ModerationLog::response).toList(),
        more ? String.valueOf(page.get(pageSize - 1).id) : null);
  }

  private static EntryResponse response(ModerationEntry e) {
    return new EntryResponse(
        String.valueOf(e.id),
        e.action,
        e.targetId == null ? null : String.valueOf(e.targetId),
        e.targetName,
        e.actorName,
        e.reason,
        e.until,
        e.createdAt);
  }
}
