package io.huddle.room;

import io.huddle.common.ApiException;
import io.huddle.user.User;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A user's membership of a room, with its role (table {@code room_members}). */
@Entity
@Table(name = "room_members")
@IdClass(RoomMember.Key.class)
public class RoomMember extends PanacheEntityBase {
  @Id
  @Column(name = "room_id")
  public String roomId;

  @Id
  @Column(name = "user_id")
  public Long userId;

  @Convert(converter = RoomRole.Column.class)
  @Column(nullable = false)
  public RoomRole role;

  @Column(name = "joined_at", nullable = false)
  public Instant joinedAt;

  static RoomMember of(String roomId, long userId, RoomRole role, Instant joinedAt) {
    RoomMember member = new RoomMember();
    member.roomId = roomId;
    member.userId = userId;
    member.role = role;
    member.joinedAt = joinedAt;
    return member;
  }

  static Optional<RoomMember> find(String roomId, long userId) {
    return find("roomId = ?1 and userId = ?2", roomId, userId).firstResultOptional();
  }

  static boolean isMember(String roomId, long userId) {
    return count("roomId = ?1 and userId = ?2", roomId, userId) > 0;
  }

  /** Whether the user is banned from the room (table {@code room_bans}, see moderation). */
  static boolean isBanned(String roomId, long userId) {
    return !getEntityManager()
        .createNativeQuery("SELECT 1 FROM room_bans WHERE room_id = ?1 AND user_id = ?2")
        .setParameter(1, roomId)
        .setParameter(2, userId)
        .getResultList()
        .isEmpty();
  }

  /** 409 when the user is banned from the room (table {@code room_bans}, see moderation). */
  static void refuseBanned(String roomId, User user) {
    if (isBanned(roomId, user.id)) {
      throw ApiException.conflict(
          "'" + user.username + "' is banned from room '" + roomId + "': unban them first");
    }
  }

  /**
   * The owner's row, locked until the transaction ends: every change of a room's membership takes
   * this lock first, so that concurrent invites, role changes, transfers and departures of one room
   * run one after the other (and never lock the room row, which message writes lock).
   */
  static Optional<RoomMember> lockOwner(String roomId) {
    return find("roomId = ?1 and role = ?2", roomId, RoomRole.OWNER)
        .withLock(LockModeType.PESSIMISTIC_WRITE)
        .firstResultOptional();
  }

  /** The composite primary key. */
  public static class Key implements Serializable {
    public String roomId;
    public Long userId;

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && Objects.equals(roomId, k.roomId)
          && Objects.equals(userId, k.userId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(roomId, userId);
    }
  }
}
