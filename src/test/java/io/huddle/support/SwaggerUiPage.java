package io.huddle.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads Swagger UI's page as a browser applies a CSP to it. */
public final class SwaggerUiPage {
  // An inline script: a <script> element without src, and its text exactly as served.
  private static final Pattern INLINE_SCRIPT =
      Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>(.*?)</script>", Pattern.DOTALL);

  // A style element that Swagger UI's React code creates: createElement("style",null,"<css>").
  private static final Pattern STYLE_ELEMENT =
      Pattern.compile("createElement\\(\"style\",null,\"([^\"\\\\]*)\"\\)");

  private SwaggerUiPage() {}

  /** The CSP source expression of each style element that the script text creates. */
  public static List<String> styleElementHashes(String script) {
    List<String> hashes = new ArrayList<>();
    Matcher m = STYLE_ELEMENT.matcher(script);
    while (m.find()) {
      hashes.add("'sha256-" + sha256(m.group(1)) + "'");
    }
    return hashes;
  }

  /** The CSP source expression ('sha256-...') of each inline script, in page order. */
  public static List<String> inlineScriptHashes(String html) {
    List<String> hashes = new ArrayList<>();
    Matcher m = INLINE_SCRIPT.matcher(html);
    while (m.find()) {
      hashes.add("'sha256-" + sha256(m.group(1)) + "'");
    }
    return hashes;
  }

  private static String sha256(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
