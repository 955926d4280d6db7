package io.huddle.common;

/**
 * What no text field may hold, in REST bodies and chat messages alike: a NUL (PostgreSQL text
 * cannot store it, so it used to fail at write time with a 500) or an unpaired UTF-16 surrogate (a
 * JSON escape such as {@code "\ud800"} decodes to one; UTF-8 cannot encode it, so it used to be
 * stored as {@code ?} and two different emails could collide).
 */
public final class StrictText {
  public static final String NUL = "must not contain NUL characters";
  public static final String UNPAIRED_SURROGATE = "must be valid Unicode (no unpaired surrogate)";

  private StrictText() {}

  /** Why {@code value} is refused (a predicate to put after the field's name), or null. */
  public static String problem(String value) {
    for (int i = 0, n = value.length(); i < n; i++) {
      char c = value.charAt(i);
      if (c == '\0') {
        return NUL;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++;
        } else {
          return UNPAIRED_SURROGATE;
        }
      } else if (Character.isLowSurrogate(c)) {
        return UNPAIRED_SURROGATE;
      }
    }
    return null;
  }
}
