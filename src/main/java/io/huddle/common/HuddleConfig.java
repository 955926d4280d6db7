package io.huddle.common;

import io.huddle.limit.Rate;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Huddle's own settings; see the configuration table in the README. */
@ConfigMapping(prefix = "huddle")
public interface HuddleConfig {

  Token token();

  Websocket websocket();

  Chat chat();

  History history();

  Limits limits();

  /** {@code memory} (one node) or {@code redis} (several replicas as one chat service). */
  @WithDefault("memory")
  @Pattern(regexp = "memory|redis")
  String broker();

  Cluster cluster();

  interface Cluster {
    /** Prefix of every Redis key and channel, so several deployments can share one Redis. */
    @WithDefault("huddle")
    String keyPrefix();

    /** How often a node renews its presence in Redis and looks for dead nodes. */
    @WithDefault("2S")
    Duration heartbeatInterval();

    /** A node silent for this long is dead: its connections leave presence (leave notices). */
    @WithDefault("10S")
    Duration nodeExpiry();

    /**
     * How long a frame that overtook a lower seq (another node's message still in transit) is held
     * before the missing messages are read from PostgreSQL.
     */
    @WithDefault("50ms")
    Duration gapWait();

    /** How often a node compares its rooms with PostgreSQL to deliver what pub/sub missed. */
    @WithDefault("2S")
    Duration sweepInterval();
  }

  /** What one client may use; see docs/security.md. A rate is {@code N/period burst B} or off. */
  interface Limits {
    /** Chat messages one connection may send. */
    @WithDefault("20/1S burst 40")
    @WithConverter(Rate.RateConverter.class)
    Rate messagesPerConnection();

    /** Chat messages one user may send over all their connections on this node. */
    @WithDefault("30/1S burst 60")
    @WithConverter(Rate.RateConverter.class)
    Rate messagesPerUser();

    /**
     * Pings one connection may send; one more closes it (1008). Each ping is answered with a pong,
     * so a client that sends pings and never reads the pongs would otherwise queue them without
     * bound.
     */
    @WithDefault("5/1S burst 20")
    @WithConverter(Rate.RateConverter.class)
    Rate pingsPerConnection();

    /**
     * Typing frames one connection may send; those beyond are dropped without an answer (each text
     * frame, typing included, also takes a token from the message limits above).
     */
    @WithDefault("1/1S burst 3")
    @WithConverter(Rate.RateConverter.class)
    Rate typingPerConnection();

    /** A connection that keeps sending after this many refused messages in a row is closed. */
    @WithDefault("50")
    @Min(1)
    int closeAfterRefused();

    /** Open room sockets per user on this node. */
    @WithDefault("20")
    @Min(1)
    int socketsPerUser();

    /**
     * Open room sockets per client address on this node (the TCP peer, or the address a trusted
     * proxy reports), whoever's accounts they use.
     */
    @WithDefault("200")
    @Min(1)
    int socketsPerAddress();

    /** Failed log-ins per email (also refuses the right password while exhausted). */
    @WithDefault("5/1M burst 10")
    @WithConverter(Rate.RateConverter.class)
    Rate failedLoginsPerEmail();

    /** Log-in attempts per client address. */
    @WithDefault("30/1M burst 60")
    @WithConverter(Rate.RateConverter.class)
    Rate loginsPerAddress();

    /** Sign-up attempts per client address. */
    @WithDefault("20/1H burst 20")
    @WithConverter(Rate.RateConverter.class)
    Rate signupsPerAddress();

    /**
     * How often open sockets are checked against PostgreSQL: a logout whose broker message was
     * lost, or a deleted account, closes them within this long.
     */
    @WithDefault("5S")
    Duration sessionCheckInterval();

    /** Rooms one user may create. */
    @WithDefault("20/1H burst 20")
    @WithConverter(Rate.RateConverter.class)
    Rate roomsPerUser();

    /** Invitations one user may send (each also tells whether a username exists). */
    @WithDefault("60/1H burst 30")
    @WithConverter(Rate.RateConverter.class)
    Rate invitesPerUser();

    /**
     * Direct conversations one user may start (also attempts naming an unknown username; opening an
     * existing conversation is free).
     */
    @WithDefault("30/1H burst 30")
    @WithConverter(Rate.RateConverter.class)
    Rate dmsPerUser();

    /**
     * Read-marker updates one user may make (PUT /rooms/{roomId}/read, on any room; each one that
     * moves a marker is a frame to every socket of the user on every node).
     */
    @WithDefault("5/1S burst 30")
    @WithConverter(Rate.RateConverter.class)
    Rate readMarkersPerUser();

    /**
     * Invitation links one user may try to accept (every attempt, the failed ones too: codes cannot
     * be tried at will).
     */
    @WithDefault("10/1M burst 20")
    @WithConverter(Rate.RateConverter.class)
    Rate invitationAcceptsPerUser();

    /** Moderation actions (kick, ban, unban, mute, unmute, archive, delete) one user may take. */
    @WithDefault("120/1H burst 60")
    @WithConverter(Rate.RateConverter.class)
    Rate moderationsPerUser();
  }

  interface Token {
    /** How long an issued token (and its cookie) is valid. */
    @WithDefault("24H")
    Duration lifetime();

    /** Whether the access_token cookie carries the Secure attribute. */
    @WithDefault("false")
    boolean cookieSecure();
  }

  interface Websocket {
    /** Origins, besides the server's own, that may open a WebSocket. */
    Optional<List<String>> allowedOrigins();
  }

  interface Chat {
    /** Longest chat message, in characters. */
    @WithDefault("4000")
    @Min(1)
    int maxContentLength();

    /** Frames queued for one connection before it is closed as a slow consumer. */
    @WithDefault("4096")
    @Min(1)
    int maxBacklog();

    /**
     * Join/leave notices go to the room only while it has at most this many connections on the
     * node: in a large room every join would otherwise send a frame to everyone (N² frames when N
     * clients join). Bigger rooms use GET /api/v1/ws/get/{roomId} for who is there.
     */
    @WithDefault("200")
    @Min(0)
    int presenceNoticeLimit();

    /**
     * How long frames may wait for a connection with none written, while its socket is full, before
     * it is closed.
     */
    @WithDefault("2S")
    Duration stallTimeout();

    /**
     * At most one typing notice per room and user per this window, however many typing frames the
     * user's sockets send, on whichever nodes.
     */
    @WithDefault("2S")
    Duration typingWindow();

    /** How long a client shows "X is typing…" after a notice (its {@code expiresInMs}). */
    @WithDefault("5S")
    Duration typingExpiry();

    /**
     * How often each node reads the bans, mutes and archived state of the rooms it has sockets in
     * again: a node that missed a moderation action's broker message is right within this long.
     */
    @WithDefault("10S")
    Duration sanctionsRefresh();
  }

  interface History {
    /** Store messages in PostgreSQL. Off only for benchmarks that measure durability's cost. */
    @WithDefault("true")
    boolean enabled();

    /** Latest messages sent in the history frame when a client joins without ?since. */
    @WithDefault("50")
    @Min(0)
    @Max(500)
    int joinLimit();

    /** Most messages one catch-up (?since=) history frame carries. */
    @WithDefault("1000")
    @Min(1)
    int catchUpLimit();

    /** Most messages written in one group-commit transaction. */
    @WithDefault("512")
    @Min(1)
    int maxBatch();

    /** Messages waiting to be written before new ones are refused (back-pressure). */
    @WithDefault("10000")
    @Min(1)
    int queueCapacity();

    /** How long the writer retries a failing batch before telling senders it was not stored. */
    @WithDefault("5S")
    Duration writeTimeout();

    Retention retention();
  }

  interface Retention {
    /** Keep at most this many messages per room (off when unset). */
    Optional<@Min(1) Long> maxMessages();

    /** Keep messages at most this long (off when unset). */
    Optional<Duration> maxAge();

    /** How often the pruning job runs. */
    @WithDefault("1H")
    Duration interval();
  }
}
