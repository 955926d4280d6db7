package io.huddle.chat;

import io.huddle.auth.AuthUser;
import io.huddle.auth.CurrentUser;
import io.huddle.common.ClientAddress;
import io.huddle.common.DatabaseUnavailableException;
import io.huddle.moderation.RoomSanctions;
import io.huddle.room.RoomKind;
import io.huddle.room.RoomService;
import io.quarkus.websockets.next.HandshakeRequest;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Refuses the room socket's upgrade with 403 for a foreign Origin and 404 for an unknown room or a
 * private room the user is not a member of; 410 for an archived room, and for a banned user 403 (a
 * public room) or 404 (a private one). The token check (401) runs before this one; the room look-up
 * leaves the event loop.
 */
@ApplicationScoped
public class ChatUpgradeCheck implements HttpUpgradeCheck {
  /** The client address this check saw, for {@link #clientAddress}. */
  private static final String CLIENT_ADDRESS = "X-Huddle-Client-Address";

  private final OriginPolicy origins;
  private final RoomService rooms;
  private final ShutdownDrain drain;
  private final SocketQuota quota;
  private final RoomSanctions sanctions;

  public ChatUpgradeCheck(
      OriginPolicy origins,
      RoomService rooms,
      ShutdownDrain drain,
      SocketQuota quota,
      RoomSanctions sanctions) {
    this.origins = origins;
    this.rooms = rooms;
    this.drain = drain;
    this.quota = quota;
    this.sanctions = sanctions;
  }

  @Override
  public boolean appliesTo(String endpointId) {
    return ChatSocket.ID.equals(endpointId);
  }

  @Override
  public Uni<CheckResult> perform(HttpUpgradeContext context) {
    if (!drain.accepting()) {
      // Shutting down: the client should reconnect to another replica.
      return CheckResult.rejectUpgrade(503);
    }
    if (!origins.allows(context.httpRequest())) {
      return CheckResult.rejectUpgrade(403);
    }
    try {
      since(context.httpRequest().query());
    } catch (IllegalArgumentException e) {
      return CheckResult.rejectUpgrade(400);
    }
    String address = ClientAddress.of(context.httpRequest());
    if (!quota.mayOpenFrom(address)) {
      return CheckResult.rejectUpgrade(429);
    }
    // Handed to @OnOpen through the handshake's headers; set, so a client cannot choose it.
    context.httpRequest().headers().set(CLIENT_ADDRESS, address);
    String roomId = context.pathParam("roomId");
    return context
        .securityIdentity()
        .flatMap(
            identity -> {
              Optional<AuthUser> user = CurrentUser.fromIdentity(identity);
              if (user.isEmpty()) {
                // @Authenticated refuses it before; nobody to show a room to anyway.
                return CheckResult.rejectUpgrade(401);
              }
              if (!quota.mayOpen(String.valueOf(user.get().id()))) {
                return CheckResult.rejectUpgrade(429);
              }
              return admission(roomId, user.get().id());
            });
  }

  /**
   * 404 for an unknown room and, the same, for a private room the user is not a member of; 410 for
   * an archived room; 403 for a user banned from a public room (404 from a private one).
   */
  private Uni<CheckResult> admission(String roomId, long userId) {
    return Uni.createFrom()
        .item(() -> refusal(roomId, userId))
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .map(
            status ->
                status == 0
                    ? CheckResult.permitUpgradeSync()
                    : CheckResult.rejectUpgradeSync(status));
  }

  /** The status that refuses the upgrade, or 0 to permit it. Blocking. */
  private int refusal(String roomId, long userId) {
    if (!rooms.visibleTo(roomId, userId)) {
      return 404;
    }
    RoomSanctions.Entry sanctions;
    try {
      sanctions = this.sanctions.current(roomId);
    } catch (DatabaseUnavailableException e) {
      // As for the token check: retry shortly.
      return 503;
    }
    if (!sanctions.exists()) {
      return 404;
    }
    if (sanctions.archived()) {
      return 410;
    }
    if (sanctions.isBanned(userId)) {
      return rooms.kindOf(roomId).orElse(null) == RoomKind.PUBLIC ? 403 : 404;
    }
    return 0;
  }

  /** The client address of the handshake, as this check set it ("unknown" when it did not). */
  static String clientAddress(HandshakeRequest handshake) {
    String address = handshake.header(CLIENT_ADDRESS);
    return address == null ? "unknown" : address;
  }

  /**
   * The {@code since} query parameter: the last seq the client has, for catch-up.
   *
   * @return null when absent
   * @throws IllegalArgumentException when it is not a non-negative integer
   */
  static Long since(String query) {
    if (query == null || query.isEmpty()) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      if (!name.equals("since")) {
        continue;
      }
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      if (!value.matches("\\d{1,18}")) {
        throw new IllegalArgumentException("since must be a non-negative integer");
      }
      return Long.parseLong(value);
    }
    return null;
  }
}
