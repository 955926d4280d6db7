package io.huddle.common;

/**
 * Whole numbers from query parameters. They arrive as text so that a bad one gets a 400 with a
 * sentence: JAX-RS answers 404 when it cannot convert a {@code Long} parameter.
 */
public final class QueryNumbers {
  private QueryNumbers() {}

  /**
   * @return null when the parameter is absent
   * @throws ApiException 400 naming the parameter when it is not a number in [min, max]
   */
  public static Long parse(String name, String value, long min, long max) {
    if (value == null) {
      return null;
    }
    long parsed;
    try {
      parsed = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + " must be a whole number");
    }
    if (parsed < min || parsed > max) {
      throw ApiException.badRequest(
          name + " must be " + (max == Long.MAX_VALUE ? "at least " + min : min + "-" + max));
    }
    return parsed;
  }
}
