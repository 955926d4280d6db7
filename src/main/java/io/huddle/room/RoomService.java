package io.huddle.room;

import io.huddle.auth.AuthUser;
import io.huddle.common.ApiException;
import io.huddle.common.RequestValidator;
import io.huddle.limit.RateLimits;
import io.huddle.room.RoomRecords.CreateRoomRequest;
import io.huddle.room.RoomRecords.RoomResponse;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hibernate.exception.ConstraintViolationException;

/** Room rules; rooms live in PostgreSQL so they survive restarts and are shared by replicas. */
@ApplicationScoped
public class RoomService {
  /** Upper bound of {@link #known}: past it the cache starts over (a room costs ~100 bytes). */
  static final int KNOWN_ROOMS_LIMIT = 100_000;

  private final RequestValidator validator;
  private final RateLimits limits;

  /**
   * Rooms seen to exist. Huddle never deletes a room, so a room once found stays found: every
   * WebSocket upgrade checks its room, and a reconnect storm into a few rooms would otherwise make
   * one query per handshake. Unknown ids are always asked of the database (another replica may have
   * just created the room).
   */
  private final Set<String> known = ConcurrentHashMap.newKeySet();

  public RoomService(RequestValidator validator, RateLimits limits) {
    this.validator = validator;
    this.limits = limits;
  }

  @Transactional
  public RoomResponse create(CreateRoomRequest request, AuthUser creator) {
    validator.check(request);
    limits.beforeRoomCreation(creator.id());
    String name = request.name();
    if (name.codePointCount(0, name.length()) > RoomRecords.MAX_NAME_LENGTH) {
      throw ApiException.badRequest(
          "name must be at most " + RoomRecords.MAX_NAME_LENGTH + " characters");
    }
    Room room = new Room();
    room.id = request.id();
    room.name = request.name();
    room.createdBy = creator.id();
    room.createdAt = Instant.now();
    try {
      // The primary key decides between concurrent creators; flush so it answers here.
      room.persistAndFlush();
    } catch (ConstraintViolationException e) {
      if (e.getKind() == ConstraintViolationException.ConstraintKind.UNIQUE) {
        throw ApiException.conflict("A room with id '" + request.id() + "' already exists");
      }
      throw ApiException.unauthorized("The account of this token no longer exists");
    }
    return RoomResponse.of(room);
  }

  @Transactional
  public List<RoomResponse> list() {
    return Room.<Room>listAll(Sort.by("createdAt").and("id")).stream()
        .map(RoomResponse::of)
        .toList();
  }

  public boolean exists(String roomId) {
    // An id that could never have been created is unknown without asking PostgreSQL, which
    // would fail on a NUL character (a 500) rather than answer.
    if (!RoomRecords.possibleRoomId(roomId)) {
      return false;
    }
    if (known.contains(roomId)) {
      return true;
    }
    boolean found = existsInDatabase(roomId);
    if (found) {
      if (known.size() >= KNOWN_ROOMS_LIMIT) {
        known.clear();
      }
      known.add(roomId);
    }
    return found;
  }

  @Transactional
  boolean existsInDatabase(String roomId) {
    return Room.count("id", roomId) > 0;
  }
}
