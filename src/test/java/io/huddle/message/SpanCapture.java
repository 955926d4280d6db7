package io.huddle.message;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Collects every finished span in memory: Quarkus adds CDI {@link SpanProcessor} beans to its
 * tracer provider. It only sees spans while the SDK is on (the tracing test's profile).
 */
public class SpanCapture {
  @Produces
  @Singleton
  InMemorySpanExporter exporter() {
    return InMemorySpanExporter.create();
  }

  @Produces
  @Singleton
  SpanProcessor processor(InMemorySpanExporter exporter) {
    return SimpleSpanProcessor.create(exporter);
  }
}
