package io.huddle.bench;

/**
 * The text of a bench message: {@code hb|<sender>|<seq>|<intended>|} then padding up to the size in
 * UTF-8 bytes. {@code intended} is the intended send time in ns since the run's origin
 * (System.nanoTime in this JVM, so receivers can compare it). Sizes above the server's character
 * limit are padded with the 3-byte '€' so that, e.g., 8 KB fits in 4000 characters.
 */
final class Content {
  static final String PREFIX = "hb|";
  private static final int LONGEST_HEADER = 3 + 6 + 1 + 11 + 1 + 17 + 1;

  private final int size;
  private final int maxChars;
  private final String ascii;
  private final String wide;

  Content(int size, int maxChars) {
    this.size = size;
    this.maxChars = maxChars;
    this.ascii = "x".repeat(Math.max(0, Math.min(size, maxChars)));
    this.wide = size > maxChars ? "€".repeat(size / 3 + 1) : "";
  }

  static int minSize() {
    return LONGEST_HEADER;
  }

  static int maxSize(int maxChars) {
    return (maxChars - LONGEST_HEADER) * 3 + LONGEST_HEADER;
  }

  String build(int sender, long seq, long intended) {
    StringBuilder b = new StringBuilder(Math.min(size, maxChars) + 8);
    b.append(PREFIX).append(sender).append('|').append(seq).append('|').append(intended);
    b.append('|');
    int header = b.length(); // ASCII: bytes == chars
    int rest = size - header;
    if (rest <= 0) {
      return b.toString();
    }
    if (size <= maxChars) {
      b.append(ascii, 0, rest);
    } else {
      b.append(wide, 0, rest / 3).append(ascii, 0, rest % 3);
    }
    return b.toString();
  }

  /** Fields of a parsed bench message; one instance is reused per receiving connection. */
  static final class Parsed {
    int sender;
    long seq;
    long intended;
  }

  /** Parses the header from the parser's character buffer without making a String. */
  static boolean parse(char[] text, int offset, int length, Parsed out) {
    int end = offset + length;
    int i = offset;
    if (length < 9 || text[i] != 'h' || text[i + 1] != 'b' || text[i + 2] != '|') {
      return false;
    }
    i += 3;
    long[] value = new long[1];
    int next = number(text, i, end, value);
    if (next < 0) {
      return false;
    }
    out.sender = (int) value[0];
    next = number(text, next, end, value);
    if (next < 0) {
      return false;
    }
    out.seq = value[0];
    next = number(text, next, end, value);
    if (next < 0) {
      return false;
    }
    out.intended = value[0];
    return true;
  }

  /** Reads digits up to '|'; answers the index after the '|', or -1. */
  private static int number(char[] text, int i, int end, long[] value) {
    long v = 0;
    int start = i;
    while (i < end && text[i] != '|') {
      char c = text[i];
      if (c < '0' || c > '9' || i - start > 18) {
        return -1;
      }
      v = v * 10 + (c - '0');
      i++;
    }
    if (i == start || i >= end) {
      return -1;
    }
    value[0] = v;
    return i + 1;
  }
}
