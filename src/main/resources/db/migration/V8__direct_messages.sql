-- Direct messages (issue 13). A direct conversation is a room of kind 'direct' whose members are
-- exactly its two users (both with role 'member': nobody owns it, nobody joins or leaves it). Its
-- id is chosen by the server, 'dm:<lower user id>:<higher user id>', a form no client-named room
-- can take (room ids never allowed ':').
--
-- A room whose id starts with 'dm:' can only have been inserted by hand, and was never reachable
-- through the API (such an id is a 404 before PostgreSQL is asked). Rather than guess what it is
-- for, the migration stops and names it: rename or delete it, then start again.
DO $$
DECLARE
    clash TEXT;
BEGIN
    SELECT string_agg(id, ', ') INTO clash FROM (SELECT id FROM rooms WHERE id LIKE 'dm:%' LIMIT 10) c;
    IF clash IS NOT NULL THEN
        RAISE EXCEPTION 'Rooms with ids reserved for direct messages (dm:...) exist: %', clash;
    END IF;
END
$$;

ALTER TABLE rooms DROP CONSTRAINT rooms_kind_check;
ALTER TABLE rooms ADD CONSTRAINT rooms_kind_check CHECK (kind IN ('public', 'private', 'direct'));
-- The 'dm:' ids and the direct kind go together, whatever the application does.
ALTER TABLE rooms ADD CONSTRAINT rooms_direct_id_check CHECK ((kind = 'direct') = (id LIKE 'dm:%'));

-- The unordered pair of users behind each direct room: one conversation per pair, whoever creates
-- it first (the unique key decides between concurrent creators, on any replica).
CREATE TABLE direct_conversations (
    room_id      TEXT   PRIMARY KEY REFERENCES rooms (id) ON DELETE CASCADE,
    low_user_id  BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    high_user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT direct_conversations_pair_key UNIQUE (low_user_id, high_user_id),
    CONSTRAINT direct_conversations_order_check CHECK (low_user_id < high_user_id)
);

-- A user's conversations where it is the higher id (the pair key serves the lower).
CREATE INDEX idx_direct_conversations_high ON direct_conversations (high_user_id);
