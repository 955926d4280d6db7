package io.huddle.cluster;

import io.huddle.chat.ChatFrame;
import io.huddle.common.HuddleConfig;
import io.huddle.room.RoomRecords.ClientResponse;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.vertx.mutiny.redis.client.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Presence across nodes: a hash per room of {@code node|user → username}; Lua scripts decide
 * atomically whether a user's join or leave is the first or last anywhere; nodes heartbeat into a
 * sorted set, and a node silent for {@code huddle.cluster.node-expiry} is reaped by the others,
 * which send the leave notices it could not. Every method blocks on Redis: call it off the event
 * loop.
 */
final class RedisPresence {

  private static final String JOIN =
      """
      redis.call('HSET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], ARGV[3])
      redis.call('SADD', KEYS[3], ARGV[5])
      for _, f in ipairs(redis.call('HKEYS', KEYS[1])) do
        local sep = string.find(f, '|', 1, true)
        local node = string.sub(f, 1, sep - 1)
        if node ~= ARGV[1] and string.sub(f, sep + 1) == ARGV[2] then
          local seen = redis.call('ZSCORE', KEYS[2], node)
          if seen and tonumber(seen) >= tonumber(ARGV[4]) then return 0 end
        end
      end
      return 1
      """;

  private static final String LEAVE =
      """
      redis.call('HDEL', KEYS[1], ARGV[1] .. '|' .. ARGV[2])
      for _, f in ipairs(redis.call('HKEYS', KEYS[1])) do
        local sep = string.find(f, '|', 1, true)
        if string.sub(f, sep + 1) == ARGV[2] then
          local seen = redis.call('ZSCORE', KEYS[2], string.sub(f, 1, sep - 1))
          if seen and tonumber(seen) >= tonumber(ARGV[3]) then return 0 end
        end
      end
      return 1
      """;

  private final RedisDataSource redis;
  private final HuddleConfig.Cluster config;
  private final RedisHealth health;
  private final String nodeId;
  private final String nodesKey;

  /** Where the leave notices of a reaped node's users go (the broker's publish). */
  private final Consumer<ChatFrame> publish;

  /** This node's presence entries (room → user → username), to restore after Redis returns. */
  private final Map<String, Map<String, String>> localPresence = new ConcurrentHashMap<>();

  RedisPresence(
      RedisDataSource redis,
      HuddleConfig.Cluster config,
      RedisHealth health,
      String nodeId,
      Consumer<ChatFrame> publish) {
    this.redis = redis;
    this.config = config;
    this.health = health;
    this.nodeId = nodeId;
    this.nodesKey = config.keyPrefix() + ":nodes";
    this.publish = publish;
  }

  boolean userJoined(String roomId, String userId, String username) {
    localPresence.computeIfAbsent(roomId, r -> new ConcurrentHashMap<>()).put(userId, username);
    try {
      return register(roomId, userId, username);
    } catch (RuntimeException e) {
      health.failed("presence join", e);
      return true;
    }
  }

  boolean userLeft(String roomId, String userId) {
    Map<String, String> users = localPresence.get(roomId);
    if (users != null) {
      users.remove(userId);
    }
    try {
      return eval(
              LEAVE,
              List.of(presenceKey(roomId), nodesKey),
              nodeId,
              userId,
              String.valueOf(aliveSince()))
          == 1;
    } catch (RuntimeException e) {
      health.failed("presence leave", e);
      return true;
    }
  }

  List<ClientResponse> clients(String roomId, List<ClientResponse> local) {
    try {
      Set<String> alive =
          new HashSet<>(
              redis
                  .sortedSet(String.class)
                  .zrangebyscore(
                      nodesKey, new ScoreRange<>((double) aliveSince(), Double.POSITIVE_INFINITY)));
      Map<String, String> entries = redis.hash(String.class).hgetall(presenceKey(roomId));
      Map<String, String> users = new LinkedHashMap<>();
      local.forEach(c -> users.put(c.id(), c.username()));
      entries.forEach(
          (field, username) -> {
            int sep = field.indexOf('|');
            if (alive.contains(field.substring(0, sep))) {
              users.putIfAbsent(field.substring(sep + 1), username);
            }
          });
      List<ClientResponse> all = new ArrayList<>();
      users.forEach((id, name) -> all.add(new ClientResponse(id, name)));
      return all;
    } catch (RuntimeException e) {
      health.failed("presence list", e);
      return local;
    }
  }

  /**
   * Renews this node's heartbeat, restores its presence if it had been reaped or Redis lost it, and
   * reaps nodes that stopped beating. Throws when Redis does not answer.
   */
  void heartbeat() {
    boolean wasHealthy = health.healthy();
    long now = System.currentTimeMillis();
    // True when this node was not in the set: its first beat, or it had been reaped.
    boolean wasAbsent = redis.sortedSet(String.class).zadd(nodesKey, now, nodeId);
    if (wasAbsent || !wasHealthy) {
      restorePresence();
    }
    reapDeadNodes();
  }

  /** At shutdown: this node leaves the heartbeat set (else the others reap it later). */
  void leaveCluster() {
    try {
      redis.sortedSet(String.class).zrem(nodesKey, nodeId);
    } catch (RuntimeException e) {
      // the others will reap this node
    }
  }

  private void restorePresence() {
    localPresence.forEach(
        (roomId, users) -> users.forEach((userId, username) -> register(roomId, userId, username)));
  }

  /** Adds this node's entry for the user; true when no live node had the user in the room. */
  private boolean register(String roomId, String userId, String username) {
    return eval(
            JOIN,
            List.of(presenceKey(roomId), nodesKey, roomsKey(nodeId)),
            nodeId,
            userId,
            username,
            String.valueOf(aliveSince()),
            roomId)
        == 1;
  }

  /** Removes nodes silent past the expiry; the node that wins the removal sends their leaves. */
  private void reapDeadNodes() {
    var nodes = redis.sortedSet(String.class);
    List<String> dead =
        nodes.zrangebyscore(
            nodesKey, new ScoreRange<>(Double.NEGATIVE_INFINITY, (double) aliveSince() - 1));
    for (String node : dead) {
      if (node.equals(nodeId) || nodes.zrem(nodesKey, node) != 1) {
        continue;
      }
      Log.warnf("Node %s stopped beating; removing its connections from presence", node);
      String roomsKey = roomsKey(node);
      for (String roomId : redis.set(String.class).smembers(roomsKey)) {
        Map<String, String> entries = redis.hash(String.class).hgetall(presenceKey(roomId));
        entries.forEach(
            (field, username) -> {
              int sep = field.indexOf('|');
              if (!field.substring(0, sep).equals(node)) {
                return;
              }
              String userId = field.substring(sep + 1);
              if (eval(
                      LEAVE,
                      List.of(presenceKey(roomId), nodesKey),
                      node,
                      userId,
                      String.valueOf(aliveSince()))
                  == 1) {
                Map<String, String> here = localPresence.get(roomId);
                if (here == null || !here.containsKey(userId)) {
                  publish.accept(ChatFrame.leave(roomId, userId, username));
                }
              }
            });
      }
      redis.key().del(roomsKey);
    }
  }

  private long eval(String script, List<String> keys, String... args) {
    String[] command = new String[2 + keys.size() + args.length];
    command[0] = script;
    command[1] = String.valueOf(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      command[2 + i] = keys.get(i);
    }
    System.arraycopy(args, 0, command, 2 + keys.size(), args.length);
    Response response = redis.execute("EVAL", command);
    return response.toLong();
  }

  private long aliveSince() {
    return System.currentTimeMillis() - config.nodeExpiry().toMillis();
  }

  private String presenceKey(String roomId) {
    return config.keyPrefix() + ":presence:" + roomId;
  }

  private String roomsKey(String node) {
    return config.keyPrefix() + ":node-rooms:" + node;
  }
}
