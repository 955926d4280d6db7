package io.huddle.moderation;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.time.Instant;

/** A user banned from a room until unbanned (table {@code room_bans}). */
@Entity
@Table(name = "room_bans")
@IdClass(RoomSeat.class)
public class RoomBan extends PanacheEntityBase {
  @Id
  @Column(name = "room_id")
  public String roomId;

  @Id
  @Column(name = "user_id")
  public Long userId;

  @Column(name = "banned_by", nullable = false)
  public Long bannedBy;

  public String reason;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;
}
