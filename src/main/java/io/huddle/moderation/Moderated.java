package io.huddle.moderation;

import java.time.Instant;

/**
 * A CDI event: a moderation action was stored. Observed after the commit, to tell every replica
 * (close sockets, update its cache of bans and mutes, announce it to the room's sockets).
 *
 * @param userId the target; null for archive and delete, which concern the whole room
 * @param by the username of the owner or admin who acted
 * @param until when a mute ends; null otherwise
 * @param seq the action's row in the room's sequence (V13); null for delete, whose room is gone,
 *     and when history is off
 */
public record Moderated(
    String roomId,
    ModerationAction action,
    Long userId,
    String username,
    String by,
    Instant until,
    Instant at,
    Long seq) {}
