-- Room kinds and membership (issue 13). A public room is what every room was before: listed to,
-- readable and joinable by every user. A private room is all of that to its members only.
-- Existing rooms stay public, and whoever created a room owns it.
ALTER TABLE rooms ADD COLUMN kind TEXT NOT NULL DEFAULT 'public';
ALTER TABLE rooms ADD CONSTRAINT rooms_kind_check CHECK (kind IN ('public', 'private'));

-- Who belongs to a room and with which role. A public room has rows for its owner and for the
-- users invited or promoted there; opening a socket to a public room adds none.
CREATE TABLE room_members (
    room_id   TEXT        NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id   BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role      TEXT        NOT NULL,
    joined_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- MembershipService maps a violation of this key to 409 "already a member": keep the name.
    CONSTRAINT room_members_pkey PRIMARY KEY (room_id, user_id),
    CONSTRAINT room_members_role_check CHECK (role IN ('owner', 'admin', 'member'))
);

-- At most one owner per room, whatever the application does.
CREATE UNIQUE INDEX room_members_one_owner ON room_members (room_id) WHERE role = 'owner';

-- The rooms of a user (getRooms' private rooms).
CREATE INDEX idx_room_members_user ON room_members (user_id, room_id);

INSERT INTO room_members (room_id, user_id, role, joined_at)
SELECT id, created_by, 'owner', created_at FROM rooms;
