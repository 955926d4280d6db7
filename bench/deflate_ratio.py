#!/usr/bin/env python3
"""What permessage-deflate would save on Huddle's message frames (docs/security.md, compression).

    bench/deflate_ratio.py [FRAMES]      default 2000 synthetic chat frames, fixed seed

Builds message frames shaped like the server's (type, roomId, seq, userId, username, content,
sentAt, isDirect; content of 3-35 short words) and deflates them as a WebSocket server would:
each message alone (no context takeover) and as one stream per socket (context takeover, 32 KB
window), at zlib level 6, minus the 4-byte sync-flush tail that permessage-deflate strips.
"""
import json
import random
import sys
import zlib

WORDS = ("the a to and of you I it in is that for on with hey ok yes no lol meeting tomorrow room"
         " deploy build test server chat message thanks sure later today lunch coffee review merge"
         " branch fix bug").split()


def frames(n, rng):
    for seq in range(1, n + 1):
        content = " ".join(rng.choice(WORDS) for _ in range(rng.choice([3, 5, 8, 12, 20, 35])))
        user = rng.randint(1, 50)
        frame = {"type": "message", "roomId": "general", "seq": seq, "userId": str(user),
                 "username": "user%d" % user, "content": content,
                 "sentAt": "2026-12-02T15:%02d:%02d.%03dZ" % (rng.randint(0, 59), rng.randint(0, 59),
                                                             rng.randint(0, 999)),
                 "isDirect": False}
        yield json.dumps(frame, separators=(",", ":")).encode()


def deflated(data, stream):
    out = stream.compress(data) + stream.flush(zlib.Z_SYNC_FLUSH)
    return len(out) - 4


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    all_frames = list(frames(n, random.Random(7)))
    raw = sum(map(len, all_frames))
    alone = sum(deflated(f, zlib.compressobj(6, zlib.DEFLATED, -15)) for f in all_frames)
    socket = zlib.compressobj(6, zlib.DEFLATED, -15)
    takeover = sum(deflated(f, socket) for f in all_frames)
    print("frames %d, %.0f bytes each on average" % (n, raw / n))
    print("each message alone (no context takeover): %.0f bytes, %.0f %% of the original"
          % (alone / n, 100 * alone / raw))
    print("one stream per socket (context takeover): %.0f bytes, %.0f %% of the original"
          % (takeover / n, 100 * takeover / raw))


if __name__ == "__main__":
    main()
