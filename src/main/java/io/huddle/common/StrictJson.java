package io.huddle.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * One set of JSON rules for every body Huddle reads (REST requests, chat frames, Redis payloads): a
 * string field takes only a JSON string (no {@code 12345} or {@code true} turned into text), a body
 * is one JSON value with nothing after it, and no string holds what {@link StrictText} refuses.
 * Jackson's defaults accept all three.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

  @Override
  @SuppressWarnings("deprecation") // configure(MapperFeature, ...) on a mapper not yet in use
  public void customize(ObjectMapper mapper) {
    mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    // "123" is no number either; and ALLOW_COERCION_OF_SCALARS alone does not cover strings.
    mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
    mapper
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    mapper.registerModule(
        new SimpleModule("huddle-strict-text").addDeserializer(String.class, TEXT));
  }

  /** A string that is well-formed JSON but not acceptable text; names the rule it broke. */
  public static final class InvalidText extends MismatchedInputException {
    InvalidText(JsonParser parser, String problem) {
      super(parser, problem, String.class);
    }
  }

  private static final StdScalarDeserializer<String> TEXT =
      new StdScalarDeserializer<>(String.class) {
        @Override
        public String deserialize(JsonParser parser, DeserializationContext context)
            throws IOException {
          String value = StringDeserializer.instance.deserialize(parser, context);
          String problem = value == null ? null : StrictText.problem(value);
          if (problem != null) {
            throw new InvalidText(parser, problem);
          }
          return value;
        }

        @Override
        public LogicalType logicalType() {
          return LogicalType.Textual;
        }
      };
}
