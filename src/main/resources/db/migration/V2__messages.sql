-- Durable history. Each room hands out its own gapless sequence: last_seq is advanced in the same
-- transaction that inserts the messages, so every member and every replica sees one order.
ALTER TABLE rooms ADD COLUMN last_seq BIGINT NOT NULL DEFAULT 0;

CREATE TABLE messages (
    id        BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room_id   TEXT        NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    seq       BIGINT      NOT NULL,
    user_id   BIGINT      NOT NULL REFERENCES users (id),
    content   TEXT        NOT NULL,
    client_id TEXT,
    sent_at   TIMESTAMPTZ NOT NULL,
    -- Serves "latest N of a room" (backwards scan) and "after seq S of a room".
    CONSTRAINT messages_room_seq_key UNIQUE (room_id, seq)
);

-- A resend with the same clientId by the same user in the same room is the same message.
CREATE UNIQUE INDEX messages_client_id_key ON messages (room_id, user_id, client_id)
    WHERE client_id IS NOT NULL;

-- Age-based retention prunes by time.
CREATE INDEX idx_messages_sent_at ON messages (sent_at);
