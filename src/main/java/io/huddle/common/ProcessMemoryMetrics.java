package io.huddle.common;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's resident memory, the same figure for the JVM and the native executable (where most
 * {@code jvm_*} series say nothing about the image heap or code): the number a container's memory
 * limit is compared with. Micrometer has no such binder without a native-hostile OS library, and
 * Linux gives it in one read of {@code /proc/self/status} (VmRSS, in kB whatever the page size).
 */
@Startup
@ApplicationScoped
public class ProcessMemoryMetrics {
  private static final Path STATUS = Path.of("/proc/self/status");

  ProcessMemoryMetrics(MeterRegistry registry) {
    if (Files.isReadable(STATUS)) {
      Gauge.builder("huddle.process.resident.memory", ProcessMemoryMetrics::residentBytes)
          .baseUnit("bytes")
          .description("Resident set size of the server process (Linux VmRSS)")
          .register(registry);
    }
  }

  /** VmRSS in bytes, or NaN when /proc cannot be read. */
  static double residentBytes() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through: no figure rather than a failed scrape
    }
    return Double.NaN;
  }
}
