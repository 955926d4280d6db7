package io.huddle.auth;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

/**
 * Production must sign and verify with keys the operator supplies. Dev and tests use an in-memory
 * or test key; prod refuses to start without one, with a message that says what to set.
 */
@Singleton
public class SigningKeyCheck {

  void onStart(@Observes StartupEvent event, Config config) {
    if (LaunchMode.current() != LaunchMode.NORMAL) {
      return;
    }
    boolean signKey =
        present(config, "smallrye.jwt.sign.key.location")
            || present(config, "smallrye.jwt.sign.key");
    boolean verifyKey =
        present(config, "mp.jwt.verify.publickey.location")
            || present(config, "mp.jwt.verify.publickey");
    if (!signKey || !verifyKey) {
      throw new IllegalStateException(
          "No JWT keys configured. Set SMALLRYE_JWT_SIGN_KEY_LOCATION (private key, PEM) and"
              + " MP_JWT_VERIFY_PUBLICKEY_LOCATION (public key, PEM); see README, Configuration.");
    }
  }

  private static boolean present(Config config, String key) {
    return config.getOptionalValue(key, String.class).filter(v -> !v.isBlank()).isPresent();
  }
}
