package io.huddle.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Gives the server that {@code @QuarkusIntegrationTest} launches (the packaged jar or the native
 * executable, prod profile) its database and keys, and a free management port; Quarkus passes these
 * as system properties. Quarkus gives the launched server a test HTTP port, but not a management
 * port: without one it would take the prod default 9000, which another server on the machine may
 * hold.
 */
public class PackagedServerResource implements QuarkusTestResourceLifecycleManager {
  @Override
  public Map<String, String> start() {
    try {
      Map<String, String> properties = new HashMap<>(ItEnvironment.properties());
      String port = String.valueOf(ItEnvironment.freePorts(1)[0]);
      // The server listens there (prod profile) ...
      properties.put("quarkus.management.port", port);
      // ... and the test side's test.management.url (Management in the tests) points there.
      properties.put("quarkus.management.test-port", port);
      return properties;
    } catch (Exception e) {
      throw new IllegalStateException("cannot prepare the packaged server's environment", e);
    }
  }

  @Override
  public void stop() {
    // The embedded PostgreSQL lives as long as the test JVM (ServerProcess shares it).
  }
}
