-- Edits and deletes of messages (issue 13). An edit or a delete is itself a row of the room's
-- message sequence (kind 'edit' / 'delete', target_seq naming the message it changes), so it takes
-- the next seq and a client catching up with ?since= meets it in order. The message's own row
-- keeps its seq and holds its current state: edited_at and the new text after an edit; deleted_at
-- and no text at all after a delete (the text is removed from storage, from the message and from
-- the edit rows that carried it, not hidden).
--
-- Existing rows are messages; adding columns with a constant default rewrites nothing.
ALTER TABLE messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'message';
ALTER TABLE messages ADD COLUMN target_seq BIGINT;
ALTER TABLE messages ADD COLUMN edited_at TIMESTAMPTZ;
ALTER TABLE messages ADD COLUMN deleted_at TIMESTAMPTZ;
ALTER TABLE messages ALTER COLUMN content DROP NOT NULL;

ALTER TABLE messages ADD CONSTRAINT messages_kind_check
    CHECK (kind IN ('message', 'edit', 'delete'));
-- Events name a message; messages name none. Only a message is ever edited or deleted.
ALTER TABLE messages ADD CONSTRAINT messages_target_check
    CHECK ((kind = 'message') = (target_seq IS NULL));
ALTER TABLE messages ADD CONSTRAINT messages_event_state_check
    CHECK (kind = 'message' OR (edited_at IS NULL AND deleted_at IS NULL));
-- A message without text is a deleted one; a delete event never carries text.
ALTER TABLE messages ADD CONSTRAINT messages_content_check
    CHECK ((kind = 'message' AND (content IS NOT NULL OR deleted_at IS NOT NULL))
        OR kind = 'edit'
        OR (kind = 'delete' AND content IS NULL));

-- The edit rows of a message, whose text a delete removes too.
CREATE INDEX idx_messages_target ON messages (room_id, target_seq) WHERE target_seq IS NOT NULL;
