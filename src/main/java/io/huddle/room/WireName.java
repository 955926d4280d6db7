package io.huddle.room;

import jakarta.persistence.AttributeConverter;
import java.util.Optional;

/** An enum known by a lower-case name, the same in JSON and in its database column. */
interface WireName {
  String wire();

  /** The constant with this name; empty for a name that is none of them. */
  static <E extends Enum<E> & WireName> Optional<E> parse(Class<E> type, String wire) {
    for (E value : type.getEnumConstants()) {
      if (value.wire().equals(wire)) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }

  /** Stores the constant as its name (the columns have CHECK constraints over the names). */
  abstract class Column<E extends Enum<E> & WireName> implements AttributeConverter<E, String> {
    private final Class<E> type;

    Column(Class<E> type) {
      this.type = type;
    }

    @Override
    public String convertToDatabaseColumn(E value) {
      return value == null ? null : value.wire();
    }

    @Override
    public E convertToEntityAttribute(String wire) {
      return wire == null
          ? null
          : parse(type, wire)
              .orElseThrow(
                  () -> new IllegalStateException("Unknown " + type.getSimpleName() + " " + wire));
    }
  }
}
