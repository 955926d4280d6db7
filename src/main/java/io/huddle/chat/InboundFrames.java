package io.huddle.chat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.huddle.common.StrictText;
import java.io.IOException;

/**
 * Reads a client text frame: a JSON object {@code {"type":"message","content":"..."}} or, as the Go
 * server's clients send, any other text taken whole as the message content.
 */
final class InboundFrames {
  private InboundFrames() {}

  static final int MAX_CLIENT_ID_LENGTH = 64;

  /** Longest token a refresh frame may carry (Huddle's are under 1 KB). */
  static final int MAX_TOKEN_LENGTH = 8192;

  /**
   * Either the content to publish (with the client's idempotency key), a token to refresh the
   * session with, a typing signal, or why the frame was refused.
   */
  record Parsed(
      String content, String clientId, String error, String refreshToken, boolean typing) {
    /** {@code {"type":"typing"}}: the user is typing (other fields are ignored). */
    static final Parsed TYPING = new Parsed(null, null, null, null, true);

    static Parsed ok(String content, String clientId) {
      return new Parsed(content, clientId, null, null, false);
    }

    static Parsed refresh(String token) {
      return new Parsed(null, null, null, token, false);
    }

    static Parsed refused(String error) {
      return new Parsed(null, null, error, null, false);
    }

    static Parsed refused(String clientId, String error) {
      return new Parsed(null, clientId, error, null, false);
    }
  }

  static Parsed parse(String text, ObjectMapper mapper, int maxContentLength) {
    String content;
    String clientId = null;
    if (text.stripLeading().startsWith("{")) {
      JsonNode node;
      try (JsonParser parser = mapper.createParser(text)) {
        node = mapper.readTree(parser);
        // The mapper's FAIL_ON_TRAILING_TOKENS (common/StrictJson) already refuses a second value
        // inside readTree; checked here too so that the rule does not hang on a mapper flag:
        // "{...}{...}" used to store the first object and silently drop the second.
        if (parser.nextToken() != null) {
          return Parsed.refused("Send one JSON object per frame: there is more after it");
        }
      } catch (IOException e) {
        return Parsed.refused(
            "Invalid JSON object: send {\"type\":\"message\",\"content\":\"...\"} or plain text");
      }
      if (node == null || !node.isObject()) {
        return Parsed.refused("Invalid JSON object");
      }
      JsonNode type = node.get("type");
      if (type == null || !type.isTextual()) {
        return Parsed.refused("Missing \"type\": expected \"message\"");
      }
      if (ChatFrame.REFRESH.equals(type.asText())) {
        JsonNode token = node.get("token");
        if (token == null
            || !token.isTextual()
            || token.asText().isEmpty()
            || token.asText().length() > MAX_TOKEN_LENGTH) {
          return Parsed.refused("\"token\" must be the new access token");
        }
        return Parsed.refresh(token.asText());
      }
      if (ChatFrame.TYPING.equals(type.asText())) {
        return Parsed.TYPING;
      }
      if (!ChatFrame.MESSAGE.equals(type.asText())) {
        return Parsed.refused(
            "Unknown frame type \""
                + type.asText()
                + "\": expected \"message\" (or \"typing\", \"refresh\")");
      }
      JsonNode value = node.get("content");
      if (value == null || !value.isTextual()) {
        return Parsed.refused("\"content\" must be a string");
      }
      content = value.asText();
      JsonNode key = node.get("clientId");
      if (key != null && !key.isNull()) {
        if (!key.isTextual()
            || key.asText().isEmpty()
            || key.asText().length() > MAX_CLIENT_ID_LENGTH
            || StrictText.problem(key.asText()) != null) {
          return Parsed.refused("\"clientId\" must be a string of 1-64 characters");
        }
        clientId = key.asText();
      }
    } else {
      content = text;
    }
    if (content.isBlank()) {
      return Parsed.refused(clientId, "Message content must not be blank");
    }
    if (content.codePointCount(0, content.length()) > maxContentLength) {
      return Parsed.refused(
          clientId, "Message content must be at most " + maxContentLength + " characters");
    }
    // The same rule as every REST string field: no NUL (PostgreSQL text cannot hold it), no
    // unpaired surrogate (a JSON escape can make one; UTF-8 cannot store it).
    String problem = StrictText.problem(content);
    if (problem != null) {
      return Parsed.refused(clientId, "Message content " + problem);
    }
    return Parsed.ok(content, clientId);
  }
}
