-- Moderation actions as rows of the room's sequence (issue 13). Kick, ban, unban, mute, unmute and
-- archive each take the room's next seq like a message, so history, ?since= catch-up and gap fill
-- return them in order among the messages. The row's user is who acted; the action, the user it
-- concerns (none for archive, which concerns the room) and a mute's end are columns of their own.
-- A moderation row has no text: a ban's reason stays in moderation_log only. Deleting a room
-- removes its rows, so a delete has no row here; moderation_log (V10) keeps it.
--
-- Existing rows are messages, edits and deletes; new nullable columns rewrite nothing.
ALTER TABLE messages ADD COLUMN action TEXT;
ALTER TABLE messages ADD COLUMN subject_id BIGINT;
ALTER TABLE messages ADD COLUMN subject_name TEXT;
ALTER TABLE messages ADD COLUMN until TIMESTAMPTZ;

ALTER TABLE messages DROP CONSTRAINT messages_kind_check;
ALTER TABLE messages ADD CONSTRAINT messages_kind_check
    CHECK (kind IN ('message', 'edit', 'delete', 'moderation'));

-- Edits and deletes name a message; messages and moderation events name none.
ALTER TABLE messages DROP CONSTRAINT messages_target_check;
ALTER TABLE messages ADD CONSTRAINT messages_target_check
    CHECK ((kind IN ('edit', 'delete')) = (target_seq IS NOT NULL));

ALTER TABLE messages DROP CONSTRAINT messages_content_check;
ALTER TABLE messages ADD CONSTRAINT messages_content_check
    CHECK ((kind = 'message' AND (content IS NOT NULL OR deleted_at IS NOT NULL))
        OR kind = 'edit'
        OR (kind IN ('delete', 'moderation') AND content IS NULL));

-- Only a moderation event has an action, and only the actions that leave the room in place.
ALTER TABLE messages ADD CONSTRAINT messages_action_check
    CHECK ((kind = 'moderation') = (action IS NOT NULL)
        AND (action IS NULL OR action IN ('kick', 'ban', 'unban', 'mute', 'unmute', 'archive')));
ALTER TABLE messages ADD CONSTRAINT messages_moderation_fields_check
    CHECK (kind = 'moderation' OR (subject_id IS NULL AND subject_name IS NULL AND until IS NULL));
