package io.huddle.moderation;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One moderation action in the audit trail (table {@code moderation_log}). Names are copied in, so
 * the trail still reads after a room or an account is deleted.
 */
@Entity
@Table(name = "moderation_log")
public class ModerationEntry extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "room_id", nullable = false)
  public String roomId;

  /** {@link ModerationAction#wire()}. */
  @Column(nullable = false)
  public String action;

  @Column(name = "actor_id", nullable = false)
  public Long actorId;

  @Column(name = "actor_name", nullable = false)
  public String actorName;

  @Column(name = "target_id")
  public Long targetId;

  @Column(name = "target_name")
  public String targetName;

  public String reason;

  public Instant until;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;
}
