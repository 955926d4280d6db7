package io.huddle.room;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A chat room; its id is chosen by the client that creates it. */
@Entity
@Table(name = "rooms")
public class Room extends PanacheEntityBase {
  @Id public String id;

  @Column(nullable = false)
  public String name;

  @Column(name = "created_by", nullable = false)
  public Long createdBy;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Convert(converter = RoomKind.Column.class)
  @Column(nullable = false)
  public RoomKind kind;

  /** When the owner archived the room (readable, closed to new messages and sockets); or null. */
  @Column(name = "archived_at")
  public Instant archivedAt;
}
