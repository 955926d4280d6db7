-- Invitation links for private rooms (issue 13). The owner or an admin creates a link with an
-- expiry and optionally a number of uses; whoever opens it while it is valid becomes a member.
-- Only a SHA-256 of the code is stored: the code itself is shown once, to its creator, and a
-- copy of the database does not let anyone in. Existing rooms and members are untouched.
CREATE TABLE room_invitations (
    id         BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room_id    TEXT        NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    code_hash  BYTEA       NOT NULL,
    created_by BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL,
    -- NULL: any number of uses until it expires.
    max_uses   INTEGER,
    uses       INTEGER     NOT NULL DEFAULT 0,
    -- Accepting looks a code up by its hash, and two links never share one.
    CONSTRAINT room_invitations_code_key UNIQUE (code_hash),
    CONSTRAINT room_invitations_hash_check CHECK (octet_length(code_hash) = 32),
    CONSTRAINT room_invitations_uses_check
        CHECK (uses >= 0 AND (max_uses IS NULL OR (max_uses > 0 AND uses <= max_uses))),
    CONSTRAINT room_invitations_expiry_check CHECK (expires_at > created_at)
);

-- A room's links (listing them, revoking one).
CREATE INDEX idx_room_invitations_room ON room_invitations (room_id);
