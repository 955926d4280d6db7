package io.huddle.common;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of every error response: one human sentence. */
@Schema(name = "Error", description = "Every error answer has this shape.")
public record ErrorBody(@Schema(examples = "Email or password is incorrect") String error) {}
