package io.huddle.moderation;

import io.huddle.auth.AuthUser;
import io.huddle.common.ApiException;
import io.huddle.room.Room;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The owner archives or deletes a room. Archived: its history stays readable, every socket in it
 * closes with 4008, and it takes no new sockets (410) nor messages (PostgreSQL refuses them too).
 * Deleted: its messages, members, bans and mutes are removed with it, every socket closes with
 * 4009, and every request about it then gets 404. Both stay in the audit log; the archive is also
 * the last row of the room's history (a moderation event), the delete is not (the history goes
 * too).
 */
@ApplicationScoped
public class RoomClosing {
  private final ModerationGuard guard;

  public RoomClosing(ModerationGuard guard) {
    this.guard = guard;
  }

  @Transactional
  public void archive(String roomId, AuthUser caller) {
    guard.requireOwner(roomId, caller);
    Room room = Room.findById(roomId);
    if (room.archivedAt != null) {
      throw ApiException.conflict("Room '" + roomId + "' is archived already");
    }
    // The event takes the room's next seq first: once archived_at is set, V10's trigger refuses
    // any advance of last_seq (the entity change is only flushed at the commit).
    guard.record(roomId, caller, ModerationAction.ARCHIVE, null, null, null, null);
    room.archivedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
  }

  @Transactional
  public void delete(String roomId, AuthUser caller) {
    guard.requireOwner(roomId, caller);
    guard.record(roomId, caller, ModerationAction.DELETE, null, null, null, null);
    // The foreign keys cascade: messages, members, bans, mutes, a direct pair (never one here).
    Room.delete("id", roomId);
  }
}
