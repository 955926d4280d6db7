package io.huddle.moderation;

import java.util.Locale;

/** What a room's owner or an admin did: the {@code action} of the moderation frame and log. */
public enum ModerationAction {
  KICK,
  BAN,
  UNBAN,
  MUTE,
  UNMUTE,
  ARCHIVE,
  DELETE;

  /** The lower-case name used in JSON and in {@code moderation_log.action}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The action of a wire name; null for anything else. */
  public static ModerationAction fromWire(String wire) {
    for (ModerationAction action : values()) {
      if (action.wire().equals(wire)) {
        return action;
      }
    }
    return null;
  }
}
