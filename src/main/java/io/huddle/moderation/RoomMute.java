package io.huddle.moderation;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A user muted in a room until {@code until} (table {@code room_mutes}); a row past its {@code
 * until} means nothing and is replaced by the next mute.
 */
@Entity
@Table(name = "room_mutes")
@IdClass(RoomSeat.class)
public class RoomMute extends PanacheEntityBase {
  @Id
  @Column(name = "room_id")
  public String roomId;

  @Id
  @Column(name = "user_id")
  public Long userId;

  @Column(name = "muted_by", nullable = false)
  public Long mutedBy;

  @Column(nullable = false)
  public Instant until;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;
}
