package io.huddle.read;

import java.time.Instant;

/**
 * A CDI event: the user's read marker in the room moved forward to {@code seq}. Observed after the
 * commit, to tell the user's sockets (and the other user of a direct conversation) on every node.
 */
public record MarkerMoved(String roomId, long userId, long seq, Instant at) {}
