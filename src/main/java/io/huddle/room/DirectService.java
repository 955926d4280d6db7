package io.huddle.room;

import io.huddle.auth.AuthUser;
import io.huddle.common.ApiException;
import io.huddle.common.QueryNumbers;
import io.huddle.common.RequestValidator;
import io.huddle.limit.RateLimits;
import io.huddle.read.UnreadCounts;
import io.huddle.room.DirectRecords.Conversation;
import io.huddle.room.DirectRecords.ConversationList;
import io.huddle.room.DirectRecords.LastMessage;
import io.huddle.room.DirectRecords.Peer;
import io.huddle.room.DirectRecords.StartRequest;
import io.huddle.room.DirectRecords.Started;
import io.huddle.user.User;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.hibernate.exception.ConstraintViolationException;

/**
 * Direct conversations: a room of kind {@code direct} per unordered pair of users, with exactly
 * those two as members, created on first use. Everything else (socket, seq, history, catch-up,
 * delivery across replicas) is the room machinery's; {@link RoomService} keeps a direct room a 404
 * to everyone else and out of getRooms.
 */
@ApplicationScoped
public class DirectService {
  public static final int DEFAULT_PAGE_SIZE = 50;
  public static final int MAX_PAGE_SIZE = 200;

  private static final String INVALID_CURSOR = "after must be the next value of a GET /dms answer";

  /**
   * The one query behind both the list and a single conversation: the caller's conversations with
   * the other user, the last stored message (its current text; the latest one not deleted) and the
   * caller's unread count, newest activity first.
   */
  private static final String CONVERSATIONS =
      "SELECT d.room_id, r.created_at, o.id, o.username, m.seq, m.user_id, mu.username,"
          + " m.content, m.sent_at, COALESCE(m.sent_at, r.created_at) AS active_at, "
          + UnreadCounts.sql("d.room_id", "r.last_seq", "COALESCE(rr.last_read_seq, 0)")
          + " AS unread"
          + " FROM direct_conversations d"
          + " JOIN rooms r ON r.id = d.room_id"
          + " LEFT JOIN room_reads rr ON rr.room_id = d.room_id AND rr.user_id = :viewer"
          + " JOIN users o ON o.id = CASE WHEN d.low_user_id = :viewer"
          + " THEN d.high_user_id ELSE d.low_user_id END"
          // The latest message still there (edits and deletes are rows of the sequence too; a
          // deleted message has no text to show).
          + " LEFT JOIN LATERAL (SELECT * FROM messages x WHERE x.room_id = d.room_id"
          + " AND x.kind = 'message' AND x.deleted_at IS NULL ORDER BY x.seq DESC LIMIT 1) m"
          + " ON true"
          + " LEFT JOIN users mu ON mu.id = m.user_id"
          + " WHERE (d.low_user_id = :viewer OR d.high_user_id = :viewer) AND %s"
          + " ORDER BY active_at DESC, d.room_id DESC LIMIT :limit";

  private final RequestValidator validator;
  private final RateLimits limits;

  public DirectService(RequestValidator validator, RateLimits limits) {
    this.validator = validator;
    this.limits = limits;
  }

  /**
   * The caller's conversation with the named user, started if there is none. Idempotent, also
   * between concurrent callers on any replica: the room's primary key decides who creates it, and
   * the others read what the winner committed.
   */
  @Transactional
  public Started start(StartRequest request, AuthUser caller) {
    validator.check(request);
    Optional<User> found = User.<User>find("username", request.username()).firstResultOptional();
    if (found.isEmpty()) {
      // Charged, so that the answers cannot enumerate usernames at will.
      limits.beforeDirectConversation(caller.id());
      throw ApiException.notFound("There is no user '" + request.username() + "'");
    }
    User other = found.get();
    if (other.id == caller.id()) {
      throw ApiException.badRequest("You cannot start a direct conversation with yourself");
    }
    DirectRoomId id = DirectRoomId.of(caller.id(), other.id);
    Optional<Conversation> existing = find(id, caller.id());
    if (existing.isPresent()) {
      return new Started(existing.get(), false);
    }
    limits.beforeDirectConversation(caller.id());
    boolean created;
    try {
      created = create(id, caller.id(), Room.getEntityManager());
    } catch (ConstraintViolationException e) {
      // A user's row went away meanwhile (the account was deleted).
      throw ApiException.notFound("There is no user '" + request.username() + "'");
    }
    return new Started(find(id, caller.id()).orElseThrow(), created);
  }

  /**
   * Inserts the room, its two members and the pair. A concurrent creator's insert of the same id
   * makes this one wait for its commit and then do nothing.
   *
   * @return false when another transaction created it first
   */
  private static boolean create(DirectRoomId id, long creator, EntityManager em) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    int inserted =
        em.createNativeQuery(
                "INSERT INTO rooms (id, name, created_by, created_at, kind)"
                    + " VALUES (:id, :id, :creator, :now, 'direct') ON CONFLICT (id) DO NOTHING")
            .setParameter("id", id.toString())
            .setParameter("creator", creator)
            .setParameter("now", now)
            .executeUpdate();
    if (inserted == 0) {
      return false;
    }
    em.createNativeQuery(
            "INSERT INTO room_members (room_id, user_id, role, joined_at)"
                + " VALUES (:id, :low, 'member', :now), (:id, :high, 'member', :now)")
        .setParameter("id", id.toString())
        .setParameter("low", id.low())
        .setParameter("high", id.high())
        .setParameter("now", now)
        .executeUpdate();
    em.createNativeQuery(
            "INSERT INTO direct_conversations (room_id, low_user_id, high_user_id)"
                + " VALUES (:id, :low, :high)")
        .setParameter("id", id.toString())
        .setParameter("low", id.low())
        .setParameter("high", id.high())
        .executeUpdate();
    return true;
  }

  /**
   * One page of the caller's conversations, newest activity first. A conversation that becomes
   * active while a client pages moves to the front (the client learns of it by its {@code dm}
   * frame), so a later page may miss it, never repeat another.
   */
  @Transactional
  public ConversationList list(AuthUser viewer, String limit, String after) {
    Long size = QueryNumbers.parse("limit", limit, 1, MAX_PAGE_SIZE);
    int pageSize = size == null ? DEFAULT_PAGE_SIZE : size.intValue();
    Query query;
    if (after == null) {
      query = conversations("TRUE", viewer.id(), pageSize + 1);
    } else {
      RoomCursor cursor = RoomCursor.decode(after, INVALID_CURSOR);
      if (DirectRoomId.parse(cursor.id()).isEmpty()) {
        throw ApiException.badRequest(INVALID_CURSOR);
      }
      query =
          conversations(
                  "(COALESCE(m.sent_at, r.created_at), d.room_id) < (:at, :after)",
                  viewer.id(),
                  pageSize + 1)
              .setParameter("at", cursor.createdAt())
              .setParameter("after", cursor.id());
    }
    List<Row> rows = rows(query);
    boolean more = rows.size() > pageSize;
    List<Row> page = more ? rows.subList(0, pageSize) : rows;
    String next = null;
    if (more) {
      Row last = page.get(pageSize - 1);
      next = new RoomCursor(last.activeAt(), last.conversation().roomId()).encode();
    }
    return new ConversationList(page.stream().map(Row::conversation).toList(), next);
  }

  private Optional<Conversation> find(DirectRoomId id, long viewer) {
    Query query = conversations("d.room_id = :room", viewer, 1).setParameter("room", id.toString());
    return rows(query).stream().findFirst().map(Row::conversation);
  }

  private static Query conversations(String filter, long viewer, int limit) {
    return Room.getEntityManager()
        .createNativeQuery(CONVERSATIONS.formatted(filter))
        .setParameter("viewer", viewer)
        .setParameter("limit", limit);
  }

  private record Row(Conversation conversation, Instant activeAt) {}

  @SuppressWarnings("unchecked")
  private static List<Row> rows(Query query) {
    return ((List<Object[]>) query.getResultList()).stream().map(DirectService::row).toList();
  }

  private static Row row(Object[] c) {
    LastMessage last =
        c[4] == null
            ? null
            : new LastMessage(
                ((Number) c[4]).longValue(),
                String.valueOf(c[5]),
                (String) c[6],
                (String) c[7],
                instant(c[8]));
    Conversation conversation =
        new Conversation(
            (String) c[0],
            new Peer(String.valueOf(c[2]), (String) c[3]),
            last,
            instant(c[1]),
            ((Number) c[10]).intValue());
    return new Row(conversation, instant(c[9]));
  }

  /** A timestamptz column, whichever Java type the driver and Hibernate chose for it. */
  private static Instant instant(Object value) {
    if (value instanceof Instant i) {
      return i;
    }
    if (value instanceof OffsetDateTime o) {
      return o.toInstant();
    }
    return ((Timestamp) value).toInstant();
  }
}
