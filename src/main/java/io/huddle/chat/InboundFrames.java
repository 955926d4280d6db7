package io.huddle.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a client text frame: a JSON object {@code {"type":"message","content":"..."}} or, as the Go
 * server's clients send, any other text taken whole as the message content.
 */
final class InboundFrames {
  private InboundFrames() {}

  /** Either the content to publish, or the reason the frame was refused. */
  record Parsed(String content, String error) {
    static Parsed ok(String content) {
      return new Parsed(content, null);
    }

    static Parsed refused(String error) {
      return new Parsed(null, error);
    }
  }

  static Parsed parse(String text, ObjectMapper mapper, int maxContentLength) {
    String content;
    if (text.stripLeading().startsWith("{")) {
      JsonNode node;
      try {
        node = mapper.readTree(text);
      } catch (JsonProcessingException e) {
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
      if (!ChatFrame.MESSAGE.equals(type.asText())) {
        return Parsed.refused("Unknown frame type \"" + type.asText() + "\": expected \"message\"");
      }
      JsonNode value = node.get("content");
      if (value == null || !value.isTextual()) {
        return Parsed.refused("\"content\" must be a string");
      }
      content = value.asText();
    } else {
      content = text;
    }
    if (content.isBlank()) {
      return Parsed.refused("Message content must not be blank");
    }
    if (content.codePointCount(0, content.length()) > maxContentLength) {
      return Parsed.refused("Message content must be at most " + maxContentLength + " characters");
    }
    return Parsed.ok(content);
  }
}
