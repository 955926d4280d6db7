package io.huddle.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads Swagger UI's page as a browser applies a CSP to it. */
final class SwaggerUiPage {
  // An inline script: a <script> element without src, and its text exactly as served.
  private static final Pattern INLINE_SCRIPT =
      Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>(.*?)</script>", Pattern.DOTALL);

  private SwaggerUiPage() {}

  /** The CSP source expression ('sha256-...') of each inline script, in page order. */
  static List<String> inlineScriptHashes(String html) {
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
