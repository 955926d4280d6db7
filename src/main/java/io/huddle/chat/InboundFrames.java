package io.huddle.chat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.huddle.common.StrictText;
import io.huddle.message.StoredMessage.Kind;
import java.io.IOException;

/**
 * Reads a client text frame: a JSON object {@code {"type":"message","content":"..."}} or, as the Go
 * server's clients send, any other text taken whole as the message content; or an edit ({@code
 * {"type":"edit","seq":N,"content":"..."}}) or delete ({@code {"type":"delete","seq":N}}) of the
 * sender's message N.
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
      String content,
      String clientId,
      String error,
      String refreshToken,
      boolean typing,
      Kind kind,
      long targetSeq) {
    /** {@code {"type":"typing"}}: the user is typing (other fields are ignored). */
    static final Parsed TYPING = new Parsed(null, null, null, null, true, null, 0);

    static Parsed ok(String content, String clientId) {
      return new Parsed(content, clientId, null, null, false, Kind.MESSAGE, 0);
    }

    static Parsed change(Kind kind, long targetSeq, String content, String clientId) {
      return new Parsed(content, clientId, null, null, false, kind, targetSeq);
    }

    static Parsed refresh(String token) {
      return new Parsed(null, null, null, token, false, null, 0);
    }

    static Parsed refused(String error) {
      return new Parsed(null, null, error, null, false, null, 0);
    }

    static Parsed refused(String clientId, String error) {
      return new Parsed(null, clientId, error, null, false, null, 0);
    }
  }

  static Parsed parse(String text, ObjectMapper mapper, int maxContentLength) {
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
      Kind kind = kindOf(type.asText());
      if (kind == null) {
        return Parsed.refused(
            "Unknown frame type \""
                + type.asText()
                + "\": expected \"message\" (or \"edit\", \"delete\", \"typing\","
                + " \"refresh\")");
      }
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
      long targetSeq = 0;
      if (kind != Kind.MESSAGE) {
        JsonNode seq = node.get("seq");
        if (seq == null
            || !seq.canConvertToExactIntegral()
            || !seq.canConvertToLong()
            || seq.asLong() < 1) {
          return Parsed.refused(
              clientId,
              "\"seq\" must be the seq of the message to " + kind.column() + " (1 or more)");
        }
        targetSeq = seq.asLong();
        if (kind == Kind.DELETE) {
          return Parsed.change(Kind.DELETE, targetSeq, null, clientId);
        }
      }
      JsonNode value = node.get("content");
      if (value == null || !value.isTextual()) {
        return Parsed.refused(clientId, "\"content\" must be a string");
      }
      Parsed checked = checkContent(value.asText(), clientId, maxContentLength);
      return checked.error() != null || kind == Kind.MESSAGE
          ? checked
          : Parsed.change(Kind.EDIT, targetSeq, checked.content(), clientId);
    }
    return checkContent(text, null, maxContentLength);
  }

  private static Kind kindOf(String type) {
    return switch (type) {
      case ChatFrame.MESSAGE -> Kind.MESSAGE;
      case ChatFrame.EDIT -> Kind.EDIT;
      case ChatFrame.DELETE -> Kind.DELETE;
      default -> null;
    };
  }

  /** The rules for a message's text, which an edit's new text follows too. */
  static Parsed checkContent(String content, String clientId, int maxContentLength) {
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
