package io.huddle.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Gives the server that {@code @QuarkusIntegrationTest} launches (the packaged jar or the native
 * executable, prod profile) its database and keys; Quarkus passes these as system properties.
 */
public class PackagedServerResource implements QuarkusTestResourceLifecycleManager {
  @Override
  public Map<String, String> start() {
    try {
      return ItEnvironment.properties();
    } catch (Exception e) {
      throw new IllegalStateException("cannot prepare the packaged server's environment", e);
    }
  }

  @Override
  public void stop() {
    // The embedded PostgreSQL lives as long as the test JVM (ServerProcess shares it).
  }
}
