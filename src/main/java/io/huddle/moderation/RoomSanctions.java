package io.huddle.moderation;

import io.agroal.api.AgroalDataSource;
import io.huddle.common.DatabaseUnavailableException;
import io.huddle.common.HuddleConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's copy of each room's bans, mutes and archived state, so that neither a handshake nor a
 * chat frame asks PostgreSQL. A moderation action updates every node's copy through the broker at
 * once; a copy is also read again from PostgreSQL when it is older than {@code
 * huddle.chat.sanctions-refresh} (at a handshake) and, for the rooms with sockets on this node,
 * every refresh interval (a node that missed a broker message is right again within one interval).
 * No Caffeine (it fails in native).
 */
@ApplicationScoped
public class RoomSanctions {
  /** Upper bound of the copies kept: past it the cache starts over. */
  static final int MAX_ROOMS = 100_000;

  /**
   * A room's sanctions as last read or told.
   *
   * @param exists false once the room is deleted (or was never there)
   * @param mutes user id → end of the mute; an entry past its end means nothing
   */
  public record Entry(
      boolean exists,
      boolean archived,
      Set<Long> banned,
      Map<Long, Instant> mutes,
      long loadedAtNanos) {
    static Entry gone() {
      return new Entry(false, false, Set.of(), Map.of(), System.nanoTime());
    }

    public boolean isBanned(long userId) {
      return banned.contains(userId);
    }

    /** When the user's mute ends, if it is muted now. */
    public Optional<Instant> mutedUntil(long userId, Instant now) {
      Instant until = mutes.get(userId);
      return until != null && until.isAfter(now) ? Optional.of(until) : Optional.empty();
    }
  }

  private final AgroalDataSource dataSource;
  private final long maxAgeNanos;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  public RoomSanctions(AgroalDataSource dataSource, HuddleConfig config) {
    this.dataSource = dataSource;
    this.maxAgeNanos = config.chat().sanctionsRefresh().toNanos();
  }

  /**
   * The room's sanctions, read from PostgreSQL when this node's copy is missing or old (an old copy
   * still answers while PostgreSQL is unreachable). Blocking: call it off the event loop.
   *
   * @throws DatabaseUnavailableException when PostgreSQL cannot answer and there is no copy
   */
  public Entry current(String roomId) {
    Entry entry = entries.get(roomId);
    // A room seen gone is asked again: its id may have been taken by a new room since.
    if (entry != null
        && entry.exists()
        && System.nanoTime() - entry.loadedAtNanos() < maxAgeNanos) {
      return entry;
    }
    try {
      return reload(List.of(roomId)).get(roomId);
    } catch (DatabaseUnavailableException e) {
      if (entry != null && entry.exists()) {
        // PostgreSQL is away: the copy as it was, rather than no answer.
        return entry;
      }
      throw e;
    }
  }

  /**
   * When the user's mute in the room ends, if it is muted now; from this node's copy only (never
   * blocks: runs on the socket's event loop). A handshake always left a copy for the room.
   */
  public Optional<Instant> mutedUntil(String roomId, long userId) {
    Entry entry = entries.get(roomId);
    return entry == null ? Optional.empty() : entry.mutedUntil(userId, Instant.now());
  }

  /** Reads the rooms' sanctions from PostgreSQL (three queries for all) and keeps them. */
  public Map<String, Entry> reload(Collection<String> roomIds) {
    Map<String, Entry> loaded = load(roomIds);
    if (entries.size() + loaded.size() > MAX_ROOMS) {
      entries.clear();
    }
    Map<String, Entry> kept = new HashMap<>();
    // A broker message applied while the queries ran is newer than what they read: it stays.
    loaded.forEach(
        (id, entry) ->
            kept.put(
                id,
                entries.merge(
                    id,
                    entry,
                    (old, fresh) ->
                        old.loadedAtNanos() - fresh.loadedAtNanos() > 0 ? old : fresh)));
    return kept;
  }

  /*
   * Broker messages: each replaces the copy with one stamped now, so a reload that was already
   * running (and read the database before the action committed) does not undo it.
   */

  /** A broker message: the user was banned (or unbanned) in the room, on some node. */
  public void banned(String roomId, long userId, boolean banned) {
    entries.computeIfPresent(
        roomId,
        (id, e) -> {
          Set<Long> bans = new HashSet<>(e.banned());
          if (banned) {
            bans.add(userId);
          } else {
            bans.remove(userId);
          }
          return new Entry(
              e.exists(), e.archived(), Set.copyOf(bans), e.mutes(), System.nanoTime());
        });
  }

  /** A broker message: the user was muted until {@code until} (null: unmuted). */
  public void muted(String roomId, long userId, Instant until) {
    entries.computeIfPresent(
        roomId,
        (id, e) -> {
          Map<Long, Instant> mutes = new HashMap<>(e.mutes());
          if (until == null) {
            mutes.remove(userId);
          } else {
            mutes.put(userId, until);
          }
          return new Entry(
              e.exists(), e.archived(), e.banned(), Map.copyOf(mutes), System.nanoTime());
        });
  }

  /** A broker message: the room was archived. */
  public void archived(String roomId) {
    entries.computeIfPresent(
        roomId, (id, e) -> new Entry(e.exists(), true, e.banned(), e.mutes(), System.nanoTime()));
  }

  /** A broker message: the room was deleted. */
  public void deleted(String roomId) {
    entries.put(roomId, Entry.gone());
  }

  private Map<String, Entry> load(Collection<String> roomIds) {
    String[] ids = roomIds.toArray(String[]::new);
    long now = System.nanoTime();
    Map<String, Boolean> archived = new HashMap<>();
    Map<String, Set<Long>> bans = new HashMap<>();
    Map<String, Map<Long, Instant>> mutes = new HashMap<>();
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement q =
          c.prepareStatement("SELECT id, archived_at IS NOT NULL FROM rooms WHERE id = ANY(?)")) {
        q.setArray(1, c.createArrayOf("text", ids));
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            archived.put(rs.getString(1), rs.getBoolean(2));
          }
        }
      }
      try (PreparedStatement q =
          c.prepareStatement("SELECT room_id, user_id FROM room_bans WHERE room_id = ANY(?)")) {
        q.setArray(1, c.createArrayOf("text", ids));
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            bans.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getLong(2));
          }
        }
      }
      try (PreparedStatement q =
          c.prepareStatement(
              "SELECT room_id, user_id, until FROM room_mutes"
                  + " WHERE room_id = ANY(?) AND until > now()")) {
        q.setArray(1, c.createArrayOf("text", ids));
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            Timestamp until = rs.getTimestamp(3);
            mutes
                .computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                .put(rs.getLong(2), until.toInstant());
          }
        }
      }
    } catch (SQLException e) {
      throw new DatabaseUnavailableException(e);
    }
    Map<String, Entry> loaded = new HashMap<>();
    for (String id : ids) {
      Boolean isArchived = archived.get(id);
      loaded.put(
          id,
          isArchived == null
              ? new Entry(false, false, Set.of(), Map.of(), now)
              : new Entry(
                  true,
                  isArchived,
                  Set.copyOf(bans.getOrDefault(id, Set.of())),
                  Map.copyOf(mutes.getOrDefault(id, Map.of())),
                  now));
    }
    return loaded;
  }
}
