package io.huddle.room;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The id of the direct room of two users, {@code dm:<lower id>:<higher id>}: chosen by the server,
 * one per unordered pair, and out of reach of client-named rooms (their ids never contain ':').
 */
public record DirectRoomId(long low, long high) {
  static final String PREFIX = "dm:";

  /** Canonical decimal ids only, so that each pair has exactly one id. */
  private static final Pattern ID = Pattern.compile("^dm:([1-9][0-9]{0,17}):([1-9][0-9]{0,17})$");

  public DirectRoomId {
    if (low <= 0 || low >= high) {
      throw new IllegalArgumentException("A direct room needs two users, the lower id first");
    }
  }

  /** The room of these two distinct users, in either order. */
  static DirectRoomId of(long a, long b) {
    return new DirectRoomId(Math.min(a, b), Math.max(a, b));
  }

  /** The two users of a direct room id; empty for any other id. */
  public static Optional<DirectRoomId> parse(String roomId) {
    if (roomId == null || !roomId.startsWith(PREFIX)) {
      return Optional.empty();
    }
    Matcher m = ID.matcher(roomId);
    if (!m.matches()) {
      return Optional.empty();
    }
    long low = Long.parseLong(m.group(1));
    long high = Long.parseLong(m.group(2));
    return low < high ? Optional.of(new DirectRoomId(low, high)) : Optional.empty();
  }

  /** The other user of the pair. */
  long other(long userId) {
    return userId == low ? high : low;
  }

  @Override
  public String toString() {
    return PREFIX + low + ":" + high;
  }
}
