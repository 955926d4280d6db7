package io.huddle.room;

import jakarta.persistence.Converter;
import java.util.Optional;

/** A member's role in a room. */
public enum RoomRole implements WireName {
  /** Exactly one per room: invites, changes roles, transfers ownership; cannot leave. */
  OWNER("owner"),
  /** Invites. */
  ADMIN("admin"),
  MEMBER("member");

  private final String wire;

  RoomRole(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }

  static Optional<RoomRole> parse(String wire) {
    return WireName.parse(RoomRole.class, wire);
  }

  /** The {@code room_members.role} column. */
  @Converter
  public static final class Column extends WireName.Column<RoomRole> {
    public Column() {
      super(RoomRole.class);
    }
  }
}
