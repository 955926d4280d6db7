-- Every replica keeps the revoked tokens and the accounts it has seen in memory, so that checking
-- a token costs no query. These triggers tell every replica at once (at commit, through
-- LISTEN/NOTIFY on channel huddle_sessions) when a token is revoked ('t:…') or an account is
-- deleted ('u:<id>'), whether by Huddle or by an operator's SQL. A token's payload also carries its
-- expiry in epoch seconds ('t:<seconds>:<jti>'), so that replicas forget it when it would have
-- expired anyway.
CREATE FUNCTION huddle_token_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('huddle_sessions',
        't:' || floor(extract(epoch FROM NEW.expires_at))::bigint || ':' || NEW.jti);
    RETURN NEW;
END
$$;

CREATE TRIGGER revoked_tokens_notify AFTER INSERT ON revoked_tokens
    FOR EACH ROW EXECUTE FUNCTION huddle_token_revoked();

CREATE FUNCTION huddle_user_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('huddle_sessions', 'u:' || OLD.id);
    RETURN OLD;
END
$$;

CREATE TRIGGER users_deleted_notify AFTER DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION huddle_user_deleted();
