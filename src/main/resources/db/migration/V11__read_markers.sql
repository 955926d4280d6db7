-- Read state (issue 13): per user and room, the highest seq the user has read. Set by the client
-- (PUT /api/v1/rooms/{roomId}/read), only ever moved forward. No row: the user never marked the
-- room read. Existing rooms and messages are untouched; every user starts without markers.
CREATE TABLE room_reads (
    user_id       BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    room_id       TEXT        NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    last_read_seq BIGINT      NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- The lookups are always by user and room (getRooms and the DM list join on both).
    CONSTRAINT room_reads_pkey PRIMARY KEY (user_id, room_id),
    CONSTRAINT room_reads_seq_check CHECK (last_read_seq >= 0)
);

-- Deleting a room (ON DELETE CASCADE) looks its markers up by room.
CREATE INDEX idx_room_reads_room ON room_reads (room_id);
