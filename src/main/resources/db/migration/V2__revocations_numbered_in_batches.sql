-- A refresh past a session's access-token cap records the revocation of the oldest access token without a number
-- (seq NULL); each instance's revocation sequencer numbers such rows in batches after their commit, under the
-- revocation_clock row lock as before, and notifies. Refreshes so no longer take turns on that row, one WAL flush
-- each. The readers still read "seq > last seen": a row is read once numbered, in commit order of the numbers.
ALTER TABLE revoked_access_token ALTER COLUMN seq DROP NOT NULL;
CREATE INDEX revoked_access_token_unnumbered ON revoked_access_token (jti) WHERE seq IS NULL;
