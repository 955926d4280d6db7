package io.huddle.limit;

import io.huddle.common.HuddleConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Locale;

/**
 * The REST limits of one node: log-ins, sign-ups, room creations, invitations, direct conversations
 * and read markers, and moderation actions. Each refusal is a 429 with {@code Retry-After} and is
 * counted in {@code huddle_rate_limited_total{limit=...}}.
 */
@ApplicationScoped
public class RateLimits {
  private final KeyedLimiter failedLoginsPerEmail;
  private final KeyedLimiter loginsPerAddress;
  private final KeyedLimiter signupsPerAddress;
  private final KeyedLimiter roomsPerUser;
  private final KeyedLimiter invitesPerUser;
  private final KeyedLimiter dmsPerUser;
  private final KeyedLimiter readMarkersPerUser;
  private final KeyedLimiter invitationAcceptsPerUser;
  private final KeyedLimiter moderationsPerUser;

  public RateLimits(
      HuddleConfig config, MeterRegistry registry, Instance<SharedBuckets> sharedBuckets) {
    HuddleConfig.Limits limits = config.limits();
    // With several replicas (Redis broker) these buckets live in Redis; if Redis fails, each node
    // falls back to its own (the limit loosens to per-node, it never opens).
    SharedBuckets shared = sharedBuckets.isResolvable() ? sharedBuckets.get() : null;
    failedLoginsPerEmail =
        new KeyedLimiter(
            "failed-logins-per-email", limits.failedLoginsPerEmail(), registry, shared);
    loginsPerAddress =
        new KeyedLimiter("logins-per-address", limits.loginsPerAddress(), registry, shared);
    signupsPerAddress =
        new KeyedLimiter("signups-per-address", limits.signupsPerAddress(), registry, shared);
    roomsPerUser = new KeyedLimiter("rooms-per-user", limits.roomsPerUser(), registry, shared);
    invitesPerUser =
        new KeyedLimiter("invites-per-user", limits.invitesPerUser(), registry, shared);
    dmsPerUser = new KeyedLimiter("dms-per-user", limits.dmsPerUser(), registry, shared);
    readMarkersPerUser =
        new KeyedLimiter("read-markers-per-user", limits.readMarkersPerUser(), registry, shared);
    invitationAcceptsPerUser =
        new KeyedLimiter(
            "invitation-accepts-per-user", limits.invitationAcceptsPerUser(), registry, shared);
    moderationsPerUser =
        new KeyedLimiter("moderations-per-user", limits.moderationsPerUser(), registry, shared);
  }

  /**
   * Before a log-in is checked: refused while the address has made too many attempts, or while the
   * email has had too many failures, whether or not an account has that email and whether or not
   * the password is right (so a locked email cannot be brute-forced and no answer reveals that the
   * account exists).
   */
  public void beforeLogin(String address, String email) {
    refuseIf(loginsPerAddress.take(address), "Too many log-in attempts from this address");
    refuseIf(
        failedLoginsPerEmail.peek(emailKey(email)),
        "Too many failed log-ins for this email: wait before trying again");
  }

  /** A log-in with this email failed. */
  public void loginFailed(String email) {
    failedLoginsPerEmail.charge(emailKey(email));
  }

  public void beforeSignup(String address) {
    refuseIf(signupsPerAddress.take(address), "Too many sign-ups from this address");
  }

  public void beforeRoomCreation(long userId) {
    refuseIf(roomsPerUser.take(Long.toString(userId)), "Too many rooms created: wait a while");
  }

  public void beforeInvite(long userId) {
    refuseIf(invitesPerUser.take(Long.toString(userId)), "Too many invitations sent: wait a while");
  }

  public void beforeDirectConversation(long userId) {
    refuseIf(
        dmsPerUser.take(Long.toString(userId)),
        "Too many direct conversations started: wait a while");
  }

  public void beforeReadMarker(long userId) {
    refuseIf(
        readMarkersPerUser.take(Long.toString(userId)),
        "Too many read-marker updates: wait a moment");
  }

  public void beforeInvitationAccept(long userId) {
    refuseIf(
        invitationAcceptsPerUser.take(Long.toString(userId)),
        "Too many invitation links tried: wait a while");
  }

  public void beforeModeration(long userId) {
    refuseIf(
        moderationsPerUser.take(Long.toString(userId)),
        "Too many moderation actions: wait a while");
  }

  private static String emailKey(String email) {
    return email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
  }

  private static void refuseIf(long waitNanos, String message) {
    if (waitNanos > 0) {
      throw new RateLimitedException(message, waitNanos);
    }
  }
}
