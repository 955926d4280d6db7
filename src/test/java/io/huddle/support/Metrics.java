package io.huddle.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the server's Prometheus text from its management port, as a scraper would. */
public final class Metrics {
  private Metrics() {}

  /** The value of a single-series metric (its first series); fails when it is not exported. */
  public static double value(String name) {
    String text = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*\\})? (\\S+)$").matcher(text);
    assertTrue(m.find(), name + " is not exported");
    return Double.parseDouble(m.group(1));
  }
}
