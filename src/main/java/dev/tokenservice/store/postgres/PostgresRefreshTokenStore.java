package dev.tokenservice.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.tokenservice.store.AccessTokenId;
import dev.tokenservice.store.IssuedRefreshToken;
import dev.tokenservice.store.OpaqueTokens;
import dev.tokenservice.store.Redemption;
import dev.tokenservice.store.RefreshRotation;
import dev.tokenservice.store.RefreshSession;
import dev.tokenservice.store.RefreshTokenSettings;
import dev.tokenservice.store.RefreshTokenStore;

/**
 * Refresh token families in PostgreSQL, shared by every instance and kept across restarts. Only token hashes are
 * stored ({@link OpaqueTokens}).
 * <p>
 * Each operation is one transaction. A redemption first tries to rotate in one statement that rotates only the
 * current token of a live family ({@link #ROTATE}, committed as it ends: one round trip); the row lock of that
 * update decides: of N concurrent redemptions of one token on any number of instances, the first rotates it and the
 * others update nothing. A redemption that rotated nothing locks its family's row ({@code SELECT ... FOR UPDATE})
 * and decides why under that lock: those others then find the token used (a reuse, which revokes the family, as in
 * memory). Revocations of
 * access tokens are written in the same transaction, so a family and its access tokens end together. Row locks
 * are always taken families first, then the revocation clock (and the revocation sequencer takes the clock, then
 * only revocation rows), so these transactions cannot deadlock.
 */
final class PostgresRefreshTokenStore implements RefreshTokenStore {
    static final String ISSUE = """
            WITH session AS (INSERT INTO refresh_session (session_id, username, client_id, scopes, login_at,
                                                          absolute_expiry, current_hash, rotations, expires_at)
                             VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)),
                 token AS (INSERT INTO refresh_token (token_hash, session_id, generation) VALUES (?, ?, 0)),
                 access AS (INSERT INTO session_access_token (session_id, jti, expires_at) VALUES (?, ?, ?))
            SELECT session_id FROM refresh_session
            WHERE username = ? AND expires_at > ?
            ORDER BY login_at DESC, session_id DESC OFFSET ?""";
    static final String LOCK_BY_HASH = """
            SELECT s.session_id, s.username, s.client_id, s.scopes, s.login_at, s.absolute_expiry, s.current_hash,
                   s.expires_at
            FROM refresh_token t JOIN refresh_session s ON s.session_id = t.session_id
            WHERE t.token_hash = ?
            FOR UPDATE OF s""";
    /*
     * A rotation in one statement, which rotates only while the token is the current one of a live family of this
     * client with the scopes asked for, and else changes nothing (then redeem decides why, under a lock); run on its
     * own, it commits as it ends: one round trip. The access tokens past the cap are revoked without a number and
     * without NOTIFY: both would make every such rotation wait for the previous one's WAL flush (the clock is one
     * row, and NOTIFY serializes commits); the revocation sequencer numbers them in batches after the commit.
     * Of concurrent rotations of one token, the first updates the family's row; the others wait for its lock, then
     * find another current hash and update nothing. The snapshot of the sub-statements is the one before the
     * statement, so the caps count what was there before it.
     */
    static final String ROTATE = """
            WITH session AS (UPDATE refresh_session s
                             SET current_hash = ?, rotations = s.rotations + 1,
                                 expires_at = LEAST(?, s.absolute_expiry)
                             WHERE s.session_id = (SELECT t.session_id FROM refresh_token t WHERE t.token_hash = ?)
                               AND s.current_hash = ? AND s.expires_at > ? AND s.client_id = ?
                               AND string_to_array(s.scopes, ' ') @> ?::text[]
                             RETURNING s.session_id, s.username, s.client_id, s.scopes, s.login_at,
                                       s.absolute_expiry, s.rotations),
                 token AS (INSERT INTO refresh_token (token_hash, session_id, generation)
                           SELECT ?, session_id, rotations FROM session),
                 access AS (INSERT INTO session_access_token (session_id, jti, expires_at)
                            SELECT session_id, ?, ? FROM session),
                 used AS (DELETE FROM refresh_token WHERE session_id = (SELECT session_id FROM session)
                              AND generation < (SELECT rotations FROM session) - ?),
                 dead AS (DELETE FROM session_access_token WHERE session_id = (SELECT session_id FROM session)
                              AND expires_at <= ?),
                 over AS (DELETE FROM session_access_token WHERE session_id = (SELECT session_id FROM session)
                              AND jti IN (SELECT jti FROM session_access_token
                                          WHERE session_id = (SELECT session_id FROM session) AND expires_at > ?
                                          ORDER BY expires_at DESC, jti OFFSET ?)
                          RETURNING jti, expires_at),
                 revoked AS (INSERT INTO revoked_access_token (jti, forget_at, seq)
                             SELECT jti, expires_at + ? * interval '1 millisecond', NULL FROM over
                             ON CONFLICT (jti) DO NOTHING)
            SELECT s.session_id, s.username, s.client_id, s.scopes, s.login_at, s.absolute_expiry,
                   over.jti, over.expires_at
            FROM session s LEFT JOIN over ON true""";
    static final String FIND = """
            SELECT s.session_id, s.username, s.client_id, s.scopes, s.login_at, s.absolute_expiry
            FROM refresh_token t JOIN refresh_session s ON s.session_id = t.session_id
            WHERE t.token_hash = ? AND s.expires_at > ?""";

    static final String USER_SESSIONS = "SELECT session_id FROM refresh_session WHERE username = ?";
    static final String LOCK_SESSIONS =
            "SELECT session_id FROM refresh_session WHERE session_id = ANY(?) ORDER BY session_id FOR UPDATE";
    static final String SESSION_ACCESS_TOKENS =
            "SELECT jti, expires_at FROM session_access_token WHERE session_id = ANY(?) AND expires_at > ?";
    static final String DELETE_SESSIONS = "DELETE FROM refresh_session WHERE session_id = ANY(?)";
    static final String PURGE = """
            DELETE FROM refresh_session WHERE session_id IN (
                SELECT session_id FROM refresh_session WHERE expires_at <= ? LIMIT ?)""";

    private final Transactions transactions;
    private final RefreshTokenSettings settings;
    private final RefreshRotation rotation;
    private final PostgresRevokedTokens revoked;
    private final Clock clock;

    PostgresRefreshTokenStore(PostgresDatabase database, RefreshTokenSettings settings,
                              PostgresRevokedTokens revoked, Clock clock) {
        this.transactions = new Transactions(database.pool());
        this.settings = settings;
        this.rotation = new RefreshRotation(settings);
        this.revoked = revoked;
        this.clock = clock;
    }

    @Override
    public IssuedRefreshToken issue(String username, String clientId, Set<String> scopes, AccessTokenId accessToken) {
        Instant now = clock.instant();
        RefreshRotation.Start start = rotation.start(username, clientId, scopes, now);
        RefreshSession session = start.session();
        UUID id = UUID.fromString(session.familyId());
        List<String> capped = new ArrayList<>();
        List<PostgresRevokedTokens.Revocation> revocations = transactions.run("starting a session", connection -> {
            capped.clear();
            List<UUID> beyondCap = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(ISSUE)) {
                int i = 1;
                statement.setObject(i++, id);
                statement.setString(i++, username);
                statement.setString(i++, clientId);
                statement.setString(i++, String.join(" ", scopes));
                statement.setObject(i++, Transactions.at(now));
                statement.setObject(i++, Transactions.at(session.absoluteExpiry()));
                statement.setString(i++, start.hash());
                statement.setObject(i++, Transactions.at(start.expiresAt()));
                statement.setString(i++, start.hash());
                statement.setObject(i++, id);
                statement.setObject(i++, id);
                statement.setString(i++, accessToken.jti());
                statement.setObject(i++, Transactions.at(accessToken.expiresAt()));
                statement.setString(i++, username);
                statement.setObject(i++, Transactions.at(now));
                // the new session is not in the statement's snapshot: the others beyond max - 1 go
                statement.setInt(i, settings.maxSessionsPerUser() - 1);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        beyondCap.add(rows.getObject(1, UUID.class));
                    }
                }
            }
            beyondCap.forEach(family -> capped.add(family.toString()));
            return beyondCap.isEmpty() ? List.of() : revokeSessions(connection, beyondCap).revocations();
        });
        revoked.remember(revocations);
        return new IssuedRefreshToken(start.token(), session, capped);
    }

    @Override
    public Redemption redeem(String token, String clientId, Set<String> requestedScopes,
                             AccessTokenId accessToken) {
        String hash = OpaqueTokens.hash(token);
        Instant now = clock.instant();
        String next = OpaqueTokens.generate();
        // the common case in one round trip; when it rotates nothing, a transaction finds out why
        Decision rotated = transactions.runStatement("refreshing a session", connection ->
                rotate(connection, hash, next, clientId, requestedScopes, accessToken, now));
        Decision decision = rotated != null ? rotated : transactions.run("refreshing a session", connection -> {
            Locked family = lockByHash(connection, hash);
            if (family == null) {
                return new Decision(new Redemption.Refused(Redemption.Reason.UNKNOWN), List.of());
            }
            UUID id = UUID.fromString(family.session().familyId());
            Redemption.Reason refusal = rotation.refusal(family.session(), family.expiresAt(),
                                                         family.currentHash().equals(hash), clientId,
                                                         requestedScopes, now);
            if (refusal != null) {
                List<PostgresRevokedTokens.Revocation> revocations = switch (refusal) {
                case EXPIRED -> {
                    deleteSession(connection, id);
                    yield List.of();
                }
                // attacker or client, one of them holds a stolen copy: the family ends for both
                case REUSED -> revokeSessions(connection, List.of(id)).revocations();
                default -> List.of();
                };
                return new Decision(new Redemption.Refused(refusal, family.session()), revocations);
            }
            // current, under this transaction's lock since the statement above ran: it rotates now
            Decision late = rotate(connection, hash, next, clientId, requestedScopes, accessToken, now);
            return late != null ? late : new Decision(new Redemption.Refused(Redemption.Reason.UNKNOWN), List.of());
        });
        revoked.remember(decision.revocations());
        if (decision.redemption() instanceof Redemption.Rotated && !decision.revocations().isEmpty()) {
            // recorded by ROTATE without a number: the other instances hear of them once numbered
            revoked.numberSoon();
        }
        return decision.redemption();
    }

    @Override
    public Optional<RefreshSession> find(String token) {
        String hash = OpaqueTokens.hash(token);
        Instant now = clock.instant();
        return transactions.run("finding a session", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(FIND)) {
                statement.setString(1, hash);
                statement.setObject(2, Transactions.at(now));
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? Optional.of(session(rows)) : Optional.<RefreshSession>empty();
                }
            }
        });
    }

    @Override
    public boolean revokeFamily(String familyId) {
        UUID id;
        try {
            id = UUID.fromString(familyId);
        } catch (IllegalArgumentException e) {
            return false;
        }
        Revoked result = transactions.run("revoking a session",
                                          connection -> revokeSessions(connection, List.of(id)));
        revoked.remember(result.revocations());
        return result.sessions() > 0;
    }

    @Override
    public int revokeUser(String username) {
        Revoked result = transactions.run("revoking the sessions of a user", connection -> {
            List<UUID> ids = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    USER_SESSIONS)) {
                statement.setString(1, username);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getObject(1, UUID.class));
                    }
                }
            }
            return revokeSessions(connection, ids);
        });
        revoked.remember(result.revocations());
        return result.sessions();
    }

    /** Deletes ended families, with their hashes and access token records, in batches. */
    void purgeExpired(int batchSize) {
        transactions.deleteInBatches("purging ended sessions", PURGE, batchSize, clock.instant());
    }

    private Locked lockByHash(Connection connection, String hash) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(LOCK_BY_HASH)) {
            statement.setString(1, hash);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return null;
                }
                return new Locked(session(rows), rows.getString("current_hash"),
                                  Transactions.instant(rows, "expires_at"));
            }
        }
    }

    /**
     * Runs {@link #ROTATE}.
     *
     * @return the rotation, with the access tokens it revoked past the cap; {@code null} when it rotated nothing
     */
    private Decision rotate(Connection connection, String hash, String next, String clientId,
                            Set<String> requestedScopes, AccessTokenId accessToken, Instant now) throws SQLException {
        String nextHash = OpaqueTokens.hash(next);
        Instant cutoff = now.minus(RefreshRotation.ACCESS_TOKEN_MARGIN);
        RefreshSession session = null;
        List<PostgresRevokedTokens.Revocation> beyondCap = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(ROTATE)) {
            int i = 1;
            statement.setString(i++, nextHash);
            statement.setObject(i++, Transactions.at(now.plus(settings.idleTtl())));
            statement.setString(i++, hash);
            statement.setString(i++, hash);
            statement.setObject(i++, Transactions.at(now));
            statement.setString(i++, clientId);
            statement.setArray(i++, connection.createArrayOf("text", requestedScopes.toArray()));
            statement.setString(i++, nextHash);
            statement.setString(i++, accessToken.jti());
            statement.setObject(i++, Transactions.at(accessToken.expiresAt()));
            // the used tokens remembered: the newest max of those before this one
            statement.setInt(i++, settings.maxUsedTokensPerSession());
            statement.setObject(i++, Transactions.at(cutoff));
            statement.setObject(i++, Transactions.at(cutoff));
            // the new access token is not in the statement's snapshot: the others beyond max - 1 go
            statement.setInt(i++, settings.maxAccessTokensPerSession() - 1);
            statement.setLong(i, revoked.leeway().toMillis());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    session = session(rows);
                    String jti = rows.getString("jti");
                    if (jti != null) {
                        beyondCap.add(revoked.revocation(
                                new AccessTokenId(jti, Transactions.instant(rows, "expires_at"))));
                    }
                }
            }
        }
        return session == null ? null : new Decision(new Redemption.Rotated(next, session), beyondCap);
    }

    /**
     * Revokes sessions and the access tokens recorded under them, in the caller's transaction. Locks the sessions
     * first, so that a rotation in progress commits before their access tokens are read.
     */
    private Revoked revokeSessions(Connection connection, List<UUID> ids) throws SQLException {
        if (ids.isEmpty()) {
            return new Revoked(0, List.of());
        }
        UUID[] sorted = ids.toArray(UUID[]::new);
        Arrays.sort(sorted);
        try (PreparedStatement lock = connection.prepareStatement(LOCK_SESSIONS)) {
            lock.setArray(1, connection.createArrayOf("uuid", sorted));
            lock.executeQuery().close();
        }
        List<PostgresRevokedTokens.Revocation> revocations = new ArrayList<>();
        Instant cutoff = clock.instant().minus(RefreshRotation.ACCESS_TOKEN_MARGIN);
        try (PreparedStatement statement = connection.prepareStatement(SESSION_ACCESS_TOKENS)) {
            statement.setArray(1, connection.createArrayOf("uuid", sorted));
            statement.setObject(2, Transactions.at(cutoff));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    revocations.add(revoked.revocation(new AccessTokenId(rows.getString("jti"),
                                                                         Transactions.instant(rows, "expires_at"))));
                }
            }
        }
        int sessions;
        try (PreparedStatement statement = connection.prepareStatement(DELETE_SESSIONS)) {
            statement.setArray(1, connection.createArrayOf("uuid", sorted));
            sessions = statement.executeUpdate();
        }
        PostgresRevokedTokens.record(connection, revocations);
        return new Revoked(sessions, revocations);
    }

    private static void deleteSession(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM refresh_session WHERE session_id = ?")) {
            statement.setObject(1, id);
            statement.executeUpdate();
        }
    }

    private static RefreshSession session(ResultSet rows) throws SQLException {
        String scopes = rows.getString("scopes");
        Set<String> scopeSet = scopes.isEmpty() ? Set.of() : new LinkedHashSet<>(List.of(scopes.split(" ")));
        return new RefreshSession(rows.getObject("session_id", UUID.class).toString(), rows.getString("username"),
                                  rows.getString("client_id"), scopeSet, Transactions.instant(rows, "login_at"),
                                  Transactions.instant(rows, "absolute_expiry"));
    }

    private record Locked(RefreshSession session, String currentHash, Instant expiresAt) {
    }

    private record Decision(Redemption redemption, List<PostgresRevokedTokens.Revocation> revocations) {
    }

    private record Revoked(int sessions, List<PostgresRevokedTokens.Revocation> revocations) {
    }
}
