package io.huddle.message;

import io.huddle.common.HuddleConfig;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;

/**
 * Optional retention: keeps at most {@code huddle.history.retention.max-messages} per room and
 * nothing older than {@code huddle.history.retention.max-age}. Off unless one of them is set.
 *
 * <p>Edit, delete and moderation events are rows of the sequence like messages: they count towards
 * {@code max-messages} (the newest seqs are kept) and age by their own {@code sent_at}. An event
 * may outlive the message it changed; it is left in place (removing it would open a hole in the
 * middle of the sequence), and a client that does not hold its target ignores it. A deleted
 * message's text is gone already, whether or not retention has reached its row.
 */
@ApplicationScoped
public class RetentionJob {
  private final HuddleConfig.Retention retention;
  private final EntityManager em;

  public RetentionJob(HuddleConfig config, EntityManager em) {
    this.retention = config.history().retention();
    this.em = em;
  }

  @Scheduled(
      every = "${huddle.history.retention.interval}",
      delayed = "${huddle.history.retention.interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    prune();
  }

  /** Deletes what retention no longer keeps; answers how many messages were deleted. */
  @Transactional
  public int prune() {
    int deleted = 0;
    if (retention.maxMessages().isPresent()) {
      deleted +=
          em.createNativeQuery(
                  "DELETE FROM messages m USING rooms r"
                      + " WHERE m.room_id = r.id AND m.seq <= r.last_seq - ?1")
              .setParameter(1, retention.maxMessages().get())
              .executeUpdate();
    }
    if (retention.maxAge().isPresent()) {
      deleted +=
          em.createNativeQuery("DELETE FROM messages WHERE sent_at < ?1")
              .setParameter(1, Instant.now().minus(retention.maxAge().get()))
              .executeUpdate();
    }
    if (deleted > 0) {
      Log.infof("Retention removed %d message(s)", deleted);
    }
    return deleted;
  }
}
