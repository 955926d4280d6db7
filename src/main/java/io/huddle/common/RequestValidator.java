package io.huddle.common;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Comparator;

/**
 * Runs Bean Validation on a request record and turns the first violation into a 400 with that
 * constraint's message. Services call it, so rules hold whoever calls the service.
 */
@ApplicationScoped
public class RequestValidator {
  private final Validator validator;

  public RequestValidator(Validator validator) {
    this.validator = validator;
  }

  public <T> T check(T request) {
    if (request == null) {
      throw ApiException.badRequest("A JSON request body is required");
    }
    validator.validate(request).stream()
        // Deterministic: the first field, then the first message, in alphabetical order.
        .min(
            Comparator.comparing((ConstraintViolation<T> v) -> v.getPropertyPath().toString())
                .thenComparing(ConstraintViolation::getMessage))
        .ifPresent(
            v -> {
              throw ApiException.badRequest(v.getMessage());
            });
    return request;
  }
}
