package io.huddle.moderation;

import java.io.Serializable;
import java.util.Objects;

/** The composite primary key (room, user) of bans and mutes. */
public class RoomSeat implements Serializable {
  public String roomId;
  public Long userId;

  @Override
  public boolean equals(Object o) {
    return o instanceof RoomSeat k
        && Objects.equals(roomId, k.roomId)
        && Objects.equals(userId, k.userId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(roomId, userId);
  }
}
