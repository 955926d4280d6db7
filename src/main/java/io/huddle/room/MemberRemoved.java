package io.huddle.room;

/**
 * A CDI event: the user was removed from the room by its owner or an admin, or left a private room
 * ({@code left}). Observed after the commit, to close the user's sockets in that room on every
 * replica.
 */
public record MemberRemoved(String roomId, long userId, boolean left) {}
