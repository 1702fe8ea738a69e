-- Shared state of the token service (dev.tokenservice.sessions). Times come from the service's clock.

-- A refresh-token family: one login of a user through a client, and its current token.
CREATE TABLE refresh_session (
    session_id      uuid        PRIMARY KEY,
    username        text        NOT NULL,
    client_id       text        NOT NULL,
    scopes          text        NOT NULL,             -- space-separated
    login_at        timestamptz NOT NULL,
    absolute_expiry timestamptz NOT NULL,
    current_hash    text        NOT NULL,             -- SHA-256 (base64url) of the current token; never the token
    rotations       integer     NOT NULL DEFAULT 0,
    expires_at      timestamptz NOT NULL              -- idle expiry of the current token, never after absolute_expiry
);
-- logout everywhere and the per-user cap
CREATE INDEX refresh_session_username ON refresh_session (username, login_at);
-- the purge
CREATE INDEX refresh_session_expires_at ON refresh_session (expires_at);

-- Every remembered token hash of a family, current and used (reuse detection), at most a capped number per family.
CREATE TABLE refresh_token (
    token_hash text    PRIMARY KEY,
    session_id uuid    NOT NULL REFERENCES refresh_session ON DELETE CASCADE,
    generation integer NOT NULL
);
CREATE INDEX refresh_token_session ON refresh_token (session_id, generation);

-- Access tokens issued under a family, revoked with it (RFC 7009 §2.1), at most a capped number per family.
CREATE TABLE session_access_token (
    session_id uuid        NOT NULL REFERENCES refresh_session ON DELETE CASCADE,
    jti        text        NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (session_id, jti)
);

-- Revoked access tokens until they expire. seq orders them by commit: every transaction that revokes takes the
-- next value of revocation_clock under its row lock, so a later seq is never committed before an earlier one and
-- "seq > last seen" after a reconnect misses nothing.
CREATE TABLE revoked_access_token (
    jti       text        PRIMARY KEY,
    forget_at timestamptz NOT NULL,
    seq       bigint      NOT NULL
);
CREATE INDEX revoked_access_token_seq ON revoked_access_token (seq);
CREATE INDEX revoked_access_token_forget_at ON revoked_access_token (forget_at);

CREATE TABLE revocation_clock (
    id  boolean PRIMARY KEY DEFAULT true CHECK (id),
    seq bigint  NOT NULL
);
INSERT INTO revocation_clock (id, seq) VALUES (true, 0);

-- Consecutive login failures per key (login protection).
CREATE TABLE login_failure (
    key           text        PRIMARY KEY,
    failures      integer     NOT NULL,
    blocked_until timestamptz NOT NULL,
    last_failure  timestamptz NOT NULL
);
CREATE INDEX login_failure_last_failure ON login_failure (last_failure);
