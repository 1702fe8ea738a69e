package dev.tokenservice.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

/**
 * Every statement of the PostgreSQL stores, on the request path and in the purges, can run from an index: with
 * sequential scans priced out ({@code enable_seqscan = off}), PostgreSQL still plans none, which it would if no
 * index served the statement. So no request and no purge batch reads a whole table as it grows.
 */
class PostgresQueryPlanTest {
    private static PostgresStoreFixture fixture;
    private static PostgresDatabase database;

    @BeforeAll
    static void database() {
        fixture = new PostgresStoreFixture();
        database = fixture.connectEmpty();
    }

    @AfterAll
    static void close() {
        database.close();
    }

    static Stream<Arguments> statements() {
        Object uuid = UUID.randomUUID();
        Object now = Transactions.at(Instant.now());
        return Stream.of(
                Arguments.of("issue", PostgresRefreshTokenStore.ISSUE,
                             List.of(uuid, "alice", "app", "me", now, now, "hash", now, "hash", uuid, uuid, "jti", now,
                                     "alice", now, 49)),
                Arguments.of("lock by hash", PostgresRefreshTokenStore.LOCK_BY_HASH, List.of("hash")),
                Arguments.of("rotate", PostgresRefreshTokenStore.ROTATE,
                             List.of("next", now, "hash", "hash", now, "app", new String[] {"me"}, "next", "jti", now,
                                     20, now, now, 49, 1000L)),
                Arguments.of("find", PostgresRefreshTokenStore.FIND, List.of("hash", now)),
                Arguments.of("sessions of a user", PostgresRefreshTokenStore.USER_SESSIONS, List.of("alice")),
                Arguments.of("lock sessions", PostgresRefreshTokenStore.LOCK_SESSIONS, List.of((Object) new UUID[] {(UUID) uuid})),
                Arguments.of("access tokens of sessions", PostgresRefreshTokenStore.SESSION_ACCESS_TOKENS,
                             List.of(new UUID[] {(UUID) uuid}, now)),
                Arguments.of("delete sessions", PostgresRefreshTokenStore.DELETE_SESSIONS,
                             List.of((Object) new UUID[] {(UUID) uuid})),
                Arguments.of("purge sessions", PostgresRefreshTokenStore.PURGE, List.of(now, 1000)),
                Arguments.of("revocations since", PostgresRevokedTokens.SINCE, List.of(0L, now)),
                Arguments.of("number revocations", PostgresRevokedTokens.NUMBER, List.of()),
                Arguments.of("purge revocations", PostgresRevokedTokens.PURGE, List.of(now, 1000)),
                Arguments.of("failure counter", PostgresFailureCounters.GET, List.of("key")),
                Arguments.of("count a failure", PostgresFailureCounters.COUNT, List.of("key", now, now, now)),
                Arguments.of("set the wait", PostgresFailureCounters.SET_WAIT, List.of(now, "key")),
                Arguments.of("reset", PostgresFailureCounters.RESET, List.of("key")),
                Arguments.of("purge counters", PostgresFailureCounters.PURGE, List.of(now, now, 1000)),
                Arguments.of("cap counters", PostgresFailureCounters.CAP, List.of(now, 1000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statements")
    void runsFromAnIndex(String name, String sql, List<Object> parameters) throws SQLException {
        String plan = plan(sql, parameters);
        assertThat(name + ":\n" + plan, plan, not(containsString("Seq Scan")));
    }

    private static String plan(String sql, List<Object> parameters) throws SQLException {
        try (Connection connection = database.pool().getConnection()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCAL enable_seqscan = off");
                // a generic plan, as for a statement prepared once and run with any values
                statement.execute("SET LOCAL plan_cache_mode = force_generic_plan");
            }
            List<String> lines = new ArrayList<>();
            try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + sql)) {
                for (int i = 0; i < parameters.size(); i++) {
                    Object value = parameters.get(i);
                    if (value instanceof UUID[] ids) {
                        explain.setArray(i + 1, connection.createArrayOf("uuid", ids));
                    } else if (value instanceof String[] texts) {
                        explain.setArray(i + 1, connection.createArrayOf("text", texts));
                    } else {
                        explain.setObject(i + 1, value);
                    }
                }
                try (ResultSet rows = explain.executeQuery()) {
                    while (rows.next()) {
                        lines.add(rows.getString(1));
                    }
                }
            }
            connection.rollback();
            return String.join("\n", lines);
        }
    }
}
