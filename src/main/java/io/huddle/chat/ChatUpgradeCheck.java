package io.huddle.chat;

import io.huddle.room.RoomService;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Refuses the room socket's upgrade with 403 for a foreign Origin and 404 for an unknown room. The
 * token check (401) runs before this one; the room look-up leaves the event loop.
 */
@ApplicationScoped
public class ChatUpgradeCheck implements HttpUpgradeCheck {
  private final OriginPolicy origins;
  private final RoomService rooms;

  public ChatUpgradeCheck(OriginPolicy origins, RoomService rooms) {
    this.origins = origins;
    this.rooms = rooms;
  }

  @Override
  public boolean appliesTo(String endpointId) {
    return ChatSocket.ID.equals(endpointId);
  }

  @Override
  public Uni<CheckResult> perform(HttpUpgradeContext context) {
    if (!origins.allows(context.httpRequest())) {
      return CheckResult.rejectUpgrade(403);
    }
    String roomId = context.pathParam("roomId");
    return Uni.createFrom()
        .item(() -> rooms.exists(roomId))
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .map(
            exists ->
                exists ? CheckResult.permitUpgradeSync() : CheckResult.rejectUpgradeSync(404));
  }
}
