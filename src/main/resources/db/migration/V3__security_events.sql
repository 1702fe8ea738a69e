-- Security events of every replica (docs/operating.md#security-events): written off the request path in batches,
-- read by the events command, purged after app.events.retention. The members of the JSON schema, one column each;
-- no secret is ever one of them.
CREATE TABLE security_event (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    time        timestamptz NOT NULL,
    type        text        NOT NULL,
    outcome     text        NOT NULL,
    reason      text,
    username    text,
    client_id   text,
    address     text,
    session_id  text,
    jti         text,
    key_id      text,
    count       bigint,
    retry_after bigint,
    detail      text,
    replica     text        NOT NULL
);
-- the events command (newest first, with or without a filter) and the purge
CREATE INDEX security_event_time ON security_event (time);
CREATE INDEX security_event_username ON security_event (username, time);
CREATE INDEX security_event_client_id ON security_event (client_id, time);
CREATE INDEX security_event_address ON security_event (address, time);
