package io.huddle.message;

import io.huddle.common.HuddleConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.hibernate.query.NativeQuery;

/**
 * Writes a moderation action as a row of the room's sequence (V13), in the caller's transaction: it
 * advances the room's {@code last_seq} like {@link MessageWriter} does, so it takes the next seq
 * and is ordered with the messages (the room's row stays locked until the action commits).
 */
@ApplicationScoped
public class ModerationEvents {
  private final EntityManager em;
  private final HuddleConfig config;

  public ModerationEvents(EntityManager em, HuddleConfig config) {
    this.em = em;
    this.config = config;
  }

  /**
   * Stores the event and answers its seq; empty when the room is gone, or when history is off
   * ({@code huddle.history.enabled=false}: seqs then live in memory and nothing is stored).
   *
   * @param actorId who acted
   * @param moderation what was done, to whom
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public OptionalLong append(
      String roomId, long actorId, StoredMessage.Moderation moderation, Instant at) {
    if (!config.history().enabled()) {
      return OptionalLong.empty();
    }
    List<?> seqs =
        em.createNativeQuery(
                "UPDATE rooms SET last_seq = last_seq + 1 WHERE id = ?1 RETURNING last_seq")
            .setParameter(1, roomId)
            .getResultList();
    if (seqs.isEmpty()) {
      return OptionalLong.empty();
    }
    long seq = ((Number) seqs.get(0)).longValue();
    em.createNativeQuery(
            "INSERT INTO messages (room_id, seq, user_id, content, sent_at, kind, action,"
                + " subject_id, subject_name, until)"
                + " VALUES (?1, ?2, ?3, NULL, ?4, 'moderation', ?5, ?6, ?7, ?8)")
        .unwrap(NativeQuery.class)
        .setParameter(1, roomId, String.class)
        .setParameter(2, seq, Long.class)
        .setParameter(3, actorId, Long.class)
        .setParameter(4, at, Instant.class)
        .setParameter(5, moderation.action(), String.class)
        .setParameter(6, moderation.userId(), Long.class)
        .setParameter(7, moderation.username(), String.class)
        .setParameter(8, moderation.until(), Instant.class)
        .executeUpdate();
    return OptionalLong.of(seq);
  }
}
