package io.huddle.room;

import jakarta.persistence.Converter;
import java.util.Optional;

/**
 * Who may see a room: everyone (the Go server's only kind), or its members only; a direct room is a
 * private conversation of exactly two users that the server creates ({@link DirectService}).
 */
public enum RoomKind implements WireName {
  PUBLIC("public"),
  PRIVATE("private"),
  DIRECT("direct");

  private final String wire;

  RoomKind(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }

  static Optional<RoomKind> parse(String wire) {
    return WireName.parse(RoomKind.class, wire);
  }

  /** The {@code rooms.kind} column. */
  @Converter
  public static final class Column extends WireName.Column<RoomKind> {
    public Column() {
      super(RoomKind.class);
    }
  }
}
