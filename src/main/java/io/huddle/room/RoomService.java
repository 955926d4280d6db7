package io.huddle.room;

import io.huddle.auth.AuthUser;
import io.huddle.common.ApiException;
import io.huddle.common.QueryNumbers;
import io.huddle.common.RequestValidator;
import io.huddle.limit.RateLimits;
import io.huddle.read.UnreadCounts;
import io.huddle.room.RoomRecords.CreateRoomRequest;
import io.huddle.room.RoomRecords.RoomList;
import io.huddle.room.RoomRecords.RoomResponse;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.hibernate.exception.ConstraintViolationException;

/**
 * Room rules; rooms live in PostgreSQL so they survive restarts and are shared by replicas. Owns
 * who may see a room: a public room is seen by everyone, a private one only by its members, and to
 * anyone else a private room is exactly as absent as an unknown id (404 everywhere).
 */
@ApplicationScoped
public class RoomService {
  /** Upper bound of {@link #known}: past it the cache starts over (a room costs ~100 bytes). */
  static final int KNOWN_ROOMS_LIMIT = 100_000;

  /** getRooms' page size when the client names none (the Go server's clients never do). */
  public static final int DEFAULT_PAGE_SIZE = 100;

  public static final int MAX_PAGE_SIZE = 500;

  private final RequestValidator validator;
  private final RateLimits limits;
  private final UnreadCounts unread;

  /**
   * The kind of each room seen to exist. A room's kind never changes, and a deleted room is
   * forgotten on every node ({@link #forget}, told through the broker), so a room once found stays
   * found: every WebSocket upgrade checks its room, and a reconnect storm into a few rooms would
   * otherwise make one query per handshake (a private room still costs one membership query, since
   * membership changes on every replica). Unknown ids are always asked of the database (another
   * replica may have just created the room).
   */
  private final Map<String, RoomKind> known = new ConcurrentHashMap<>();

  public RoomService(RequestValidator validator, RateLimits limits, UnreadCounts unread) {
    this.validator = validator;
    this.limits = limits;
    this.unread = unread;
  }

  /** Creates the room, public unless the request says private, with its creator as owner. */
  @Transactional
  public RoomResponse create(CreateRoomRequest request, AuthUser creator) {
    validator.check(request);
    limits.beforeRoomCreation(creator.id());
    String name = request.name();
    if (name.codePointCount(0, name.length()) > RoomRecords.MAX_NAME_LENGTH) {
      throw ApiException.badRequest(
          "name must be at most " + RoomRecords.MAX_NAME_LENGTH + " characters");
    }
    RoomKind kind =
        request.kind() == null
            ? RoomKind.PUBLIC
            : RoomKind.parse(request.kind())
                // Direct rooms are made by POST /api/v1/dms only.
                .filter(k -> k != RoomKind.DIRECT)
                .orElseThrow(() -> ApiException.badRequest("kind must be public or private"));
    Room room = new Room();
    room.id = request.id();
    room.name = request.name();
    room.kind = kind;
    room.createdBy = creator.id();
    // PostgreSQL keeps microseconds: what getRooms' cursor compares is what was stored.
    room.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    try {
      // The primary key decides between concurrent creators; flush so it answers here.
      room.persistAndFlush();
    } catch (ConstraintViolationException e) {
      if (e.getKind() == ConstraintViolationException.ConstraintKind.UNIQUE) {
        throw ApiException.conflict("A room with id '" + request.id() + "' already exists");
      }
      throw ApiException.unauthorized("The account of this token no longer exists");
    }
    RoomMember.of(room.id, creator.id(), RoomRole.OWNER, room.createdAt).persist();
    return RoomResponse.of(room);
  }

  /**
   * One page of the rooms the viewer may see (every public room, and the private rooms it is a
   * member of), oldest first. Direct conversations are never listed here (see {@link
   * DirectService#list}). Each carries its unread count where the viewer has one ({@link
   * UnreadCounts#forRooms}).
   *
   * @param limit page size as the client sent it (null: {@value #DEFAULT_PAGE_SIZE})
   * @param after the {@code next} of the previous page, or null for the first page
   */
  @Transactional
  public RoomList list(AuthUser viewer, String limit, String after) {
    Long size = QueryNumbers.parse("limit", limit, 1, MAX_PAGE_SIZE);
    int pageSize = size == null ? DEFAULT_PAGE_SIZE : size.intValue();
    String visible =
        "(kind = :publicKind or (kind <> :directKind and id in (select m.roomId from RoomMember m"
            + " where m.userId = :viewer)))";
    Sort order = Sort.by("createdAt").and("id");
    Parameters params =
        Parameters.with("publicKind", RoomKind.PUBLIC)
            .and("directKind", RoomKind.DIRECT)
            .and("viewer", viewer.id());
    if (after != null) {
      RoomCursor cursor = RoomCursor.decode(after);
      visible += " and (createdAt > :at or (createdAt = :at and id > :id))";
      params.and("at", cursor.createdAt()).and("id", cursor.id());
    }
    List<Room> found = Room.<Room>find(visible, order, params).range(0, pageSize).list();
    // One row more than the page was asked for: whether a next page exists.
    boolean more = found.size() > pageSize;
    List<Room> page = more ? found.subList(0, pageSize) : found;
    Map<String, Integer> counts =
        unread.forRooms(viewer.id(), page.stream().map(room -> room.id).toList());
    return new RoomList(
        page.stream().map(room -> RoomResponse.of(room, counts.get(room.id))).toList(),
        more ? RoomCursor.after(page.get(pageSize - 1)).encode() : null);
  }

  /** Whether the room exists and the user may see it (its sockets, history, clients, members). */
  public boolean visibleTo(String roomId, long userId) {
    return kindOf(roomId)
        .map(kind -> kind == RoomKind.PUBLIC || isMember(roomId, userId))
        .orElse(false);
  }

  /**
   * The kind of a room the user may see; otherwise 404, with the same sentence for a private room
   * the user is not a member of as for an id no room has.
   */
  public RoomKind requireVisible(String roomId, AuthUser user) {
    return kindOf(roomId)
        .filter(kind -> kind == RoomKind.PUBLIC || isMember(roomId, user.id()))
        .orElseThrow(() -> notFound(roomId));
  }

  /**
   * {@link #requireVisible}, for a change of the room's membership: a direct room's two members are
   * fixed, so inviting, leaving, removing, role changes and transfers are refused (409).
   */
  RoomKind requireChangeable(String roomId, AuthUser user) {
    RoomKind kind = requireVisible(roomId, user);
    if (kind == RoomKind.DIRECT) {
      throw ApiException.conflict(
          "Room '" + roomId + "' is a direct conversation: its two members never change");
    }
    return kind;
  }

  static ApiException notFound(String roomId) {
    return ApiException.notFound("Room '" + roomId + "' does not exist");
  }

  /**
   * This node forgets what it knew of the room (it was deleted, on this node or another): the next
   * look-up asks PostgreSQL.
   */
  public void forget(String roomId) {
    known.remove(roomId);
  }

  /** The room's kind; empty for an unknown id. Whether the caller may see it is not checked. */
  public Optional<RoomKind> kindOf(String roomId) {
    // An id that could never have been created is unknown without asking PostgreSQL, which
    // would fail on a NUL character (a 500) rather than answer.
    if (!RoomRecords.possibleRoomId(roomId)) {
      return Optional.empty();
    }
    RoomKind cached = known.get(roomId);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<RoomKind> found = kindInDatabase(roomId);
    found.ifPresent(
        kind -> {
          if (known.size() >= KNOWN_ROOMS_LIMIT) {
            known.clear();
          }
          known.put(roomId, kind);
        });
    return found;
  }

  @Transactional
  Optional<RoomKind> kindInDatabase(String roomId) {
    return Room.<Room>findByIdOptional(roomId).map(room -> room.kind);
  }

  @Transactional
  boolean isMember(String roomId, long userId) {
    return RoomMember.isMember(roomId, userId);
  }
}
