package io.huddle.chat;

import io.huddle.room.RoomRecords.ClientResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Members of one room on this node; copy-on-write so broadcasts iterate without locking out joins.
 */
final class RoomMembers {
  private volatile Member[] snapshot = new Member[0];

  /** Highest seq delivered to this room on this node; guarded by the room's monitor. */
  long lastSeq;

  /**
   * Frames that arrived before a lower seq (another node's, still in transit); guarded likewise.
   */
  final java.util.TreeMap<Long, ChatFrame> ahead = new java.util.TreeMap<>();

  /** Whether a gap check is scheduled; guarded likewise. */
  boolean gapCheckArmed;

  /** A room's stored seq that could not be read (or was not read): never trusted. */
  static final long UNKNOWN_SEQ = -1;

  /** Whether lastSeq started from the stored seq (false when that read failed or raced). */
  final boolean seqKnown;

  RoomMembers(long lastSeq, boolean seqKnown) {
    this.lastSeq = lastSeq;
    this.seqKnown = seqKnown;
  }

  private final Map<String, Integer> connectionsPerUser = new LinkedHashMap<>();
  private final Map<String, String> usernames = new LinkedHashMap<>();

  /**
   * @return true when this is the user's first connection in the room
   */
  synchronized boolean add(Member member) {
    Member[] next = java.util.Arrays.copyOf(snapshot, snapshot.length + 1);
    next[snapshot.length] = member;
    snapshot = next;
    usernames.putIfAbsent(member.userId, member.user.username());
    return connectionsPerUser.merge(member.userId, 1, Integer::sum) == 1;
  }

  /**
   * @return true when this was the user's last connection in the room
   */
  synchronized boolean remove(Member member) {
    List<Member> kept = new ArrayList<>(snapshot.length);
    boolean found = false;
    for (Member m : snapshot) {
      if (m == member) {
        found = true;
      } else {
        kept.add(m);
      }
    }
    if (!found) {
      return false;
    }
    snapshot = kept.toArray(new Member[0]);
    Integer left = connectionsPerUser.merge(member.userId, -1, Integer::sum);
    if (left != null && left <= 0) {
      connectionsPerUser.remove(member.userId);
      usernames.remove(member.userId);
      return true;
    }
    return false;
  }

  Member[] snapshot() {
    return snapshot;
  }

  synchronized boolean isEmpty() {
    return snapshot.length == 0;
  }

  synchronized List<ClientResponse> users() {
    List<ClientResponse> users = new ArrayList<>(usernames.size());
    usernames.forEach((id, name) -> users.add(new ClientResponse(id, name)));
    return users;
  }
}
