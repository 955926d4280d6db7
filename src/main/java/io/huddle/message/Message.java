package io.huddle.message;

import io.huddle.user.User;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;

/** Read side of the messages table; rows are written by {@link MessageWriter} only. */
@Entity
@Table(name = "messages")
public class Message extends PanacheEntityBase {
  @Id public Long id;

  @Column(name = "room_id", nullable = false)
  public String roomId;

  @Column(nullable = false)
  public long seq;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  @JoinColumn(name = "user_id")
  public User user;

  /** The current text; null once the message is deleted, and on delete events. */
  public String content;

  @Column(name = "client_id")
  public String clientId;

  @Column(name = "sent_at", nullable = false)
  public Instant sentAt;

  /** {@code message}, {@code edit} or {@code delete} (V9), or {@code moderation} (V13). */
  @Column(nullable = false)
  public String kind;

  /** The message an edit or delete event changed. */
  @Column(name = "target_seq")
  public Long targetSeq;

  @Column(name = "edited_at")
  public Instant editedAt;

  @Column(name = "deleted_at")
  public Instant deletedAt;

  /** A moderation event (V13): its action; null on every other row. */
  public String action;

  /** A moderation event: the user it concerns (none for archive). */
  @Column(name = "subject_id")
  public Long subjectId;

  @Column(name = "subject_name")
  public String subjectName;

  /** A mute event: when the mute ends. */
  public Instant until;

  StoredMessage toStored() {
    return new StoredMessage(
        roomId,
        seq,
        user.id,
        user.username,
        content,
        sentAt,
        StoredMessage.Kind.of(kind),
        targetSeq,
        editedAt,
        deletedAt,
        action == null
            ? null
            : new StoredMessage.Moderation(action, subjectId, subjectName, until));
  }
}
