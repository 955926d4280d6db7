-- Moderation (issue 13): archived rooms, bans, mutes and an audit trail of every action.

-- An archived room keeps its history (readable) but takes no new messages and no new sockets.
ALTER TABLE rooms ADD COLUMN archived_at TIMESTAMPTZ;

-- The database itself refuses a message for an archived room: MessageWriter advances last_seq for
-- every message it stores, so a message racing the archive fails alone (its batch is retried
-- message by message) instead of slipping in after the room closed. The WHEN clause is evaluated
-- without calling the function, so rooms that are not archived pay nothing measurable.
CREATE FUNCTION refuse_archived_room_message() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Room % is archived', OLD.id USING ERRCODE = 'P0001';
END
$$;

CREATE TRIGGER rooms_archived_no_messages
    BEFORE UPDATE OF last_seq ON rooms
    FOR EACH ROW
    WHEN (OLD.archived_at IS NOT NULL AND NEW.last_seq <> OLD.last_seq)
    EXECUTE FUNCTION refuse_archived_room_message();

CREATE TABLE room_bans (
    room_id    TEXT        NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id    BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    banned_by  BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason     TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    CONSTRAINT room_bans_pkey PRIMARY KEY (room_id, user_id)
);

CREATE TABLE room_mutes (
    room_id    TEXT        NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id    BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    muted_by   BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    until      TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    CONSTRAINT room_mutes_pkey PRIMARY KEY (room_id, user_id)
);

-- The audit trail. No foreign keys: it outlives a deleted room and a deleted account.
CREATE TABLE moderation_log (
    id             BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room_id        TEXT        NOT NULL,
    action         TEXT        NOT NULL,
    actor_id       BIGINT      NOT NULL,
    actor_name     TEXT        NOT NULL,
    target_id      BIGINT,
    target_name    TEXT,
    reason         TEXT,
    until          TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL,
    CONSTRAINT moderation_log_action_check
        CHECK (action IN ('kick', 'ban', 'unban', 'mute', 'unmute', 'archive', 'delete'))
);

CREATE INDEX idx_moderation_log_room ON moderation_log (room_id, id);
