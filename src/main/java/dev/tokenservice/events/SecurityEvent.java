package dev.tokenservice.events;

import java.time.Instant;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * One security event, in the fixed schema of docs/operating.md: its JSON members are {@code time} (RFC 3339, UTC,
 * milliseconds), {@code type}, {@code outcome}, {@code reason}, {@code username}, {@code client_id},
 * {@code address}, {@code session_id}, {@code jti}, {@code key_id}, {@code count}, {@code retry_after} (seconds),
 * {@code detail} and {@code replica}; a member without a value is left out, never {@code null}.
 * <p>
 * No secret is ever a member: no password, no token, no client secret, no hash of one. Text that a client chose (an
 * attempted username, a client id) is cut to {@value #MAX_NAME} characters, and every line is written by JSON-P
 * with, besides JSON's own escapes, DEL, the C1 controls, U+2028/U+2029 and unpaired surrogates escaped too
 * ({@link #toJsonLine()}), so that no value can end or split a line.
 *
 * @param time       when it happened; {@code null} until the sink sets it
 * @param type       what happened ({@link EventTypes})
 * @param outcome    {@code success} or {@code failure}
 * @param reason     a stable code ({@link Reasons}), or {@code null}
 * @param username   the user as the service knows it, or the attempted name of a failed login
 * @param clientId   the client
 * @param address    the client address, after the trusted-proxy rule
 * @param sessionId  the refresh token session (family) concerned
 * @param jti        the access token concerned
 * @param keyId      the key concerned
 * @param count      how many: sessions revoked, refusals aggregated
 * @param retryAfter seconds to wait, for a throttled attempt
 * @param detail     a short explanation for a person (a refused file's problem)
 * @param replica    the instance that recorded it; {@code null} until the sink sets it
 */
public record SecurityEvent(Instant time, String type, String outcome, String reason, String username,
                            String clientId, String address, String sessionId, String jti, String keyId, Long count,
                            Long retryAfter, String detail, String replica) {
    /** The most characters kept of a name that a client sent: a username, a client id, an address. */
    public static final int MAX_NAME = 200;
    /** The most characters kept of a detail. */
    public static final int MAX_DETAIL = 500;

    /**
     * Cuts the texts to their bounds.
     */
    public SecurityEvent {
        username = cut(username, MAX_NAME);
        clientId = cut(clientId, MAX_NAME);
        address = cut(address, MAX_NAME);
        sessionId = cut(sessionId, MAX_NAME);
        jti = cut(jti, MAX_NAME);
        keyId = cut(keyId, MAX_NAME);
        detail = cut(detail, MAX_DETAIL);
        replica = cut(replica, MAX_NAME);
    }

    /**
     * Starts an event.
     *
     * @param type    {@link EventTypes}
     * @param outcome {@link EventTypes#SUCCESS} or {@link EventTypes#FAILURE}
     * @return builder
     */
    public static Builder of(String type, String outcome) {
        return new Builder(type, outcome);
    }

    /**
     * A successful transition.
     *
     * @param type {@link EventTypes}
     * @return builder
     */
    public static Builder success(String type) {
        return of(type, EventTypes.SUCCESS);
    }

    /**
     * A refusal or a failure.
     *
     * @param type   {@link EventTypes}
     * @param reason {@link Reasons}
     * @return builder
     */
    public static Builder failure(String type, String reason) {
        return of(type, EventTypes.FAILURE).reason(reason);
    }

    /**
     * This event with its time and replica set, where it had none.
     *
     * @param now     the time
     * @param replica the instance
     * @return event
     */
    public SecurityEvent stamped(Instant now, String replica) {
        return new SecurityEvent(time == null ? now : time, type, outcome, reason, username, clientId, address,
                                 sessionId, jti, keyId, count, retryAfter, detail,
                                 this.replica == null ? replica : this.replica);
    }

    /**
     * The event as a JSON object of the schema: absent members left out.
     *
     * @return JSON
     */
    public JsonObject toJson() {
        JsonObjectBuilder json = Json.createObjectBuilder();
        if (time != null) {
            json.add("time", LogLine.time(time));
        }
        json.add("type", type).add("outcome", outcome);
        add(json, "reason", reason);
        add(json, "username", username);
        add(json, "client_id", clientId);
        add(json, "address", address);
        add(json, "session_id", sessionId);
        add(json, "jti", jti);
        add(json, "key_id", keyId);
        if (count != null) {
            json.add("count", count);
        }
        if (retryAfter != null) {
            json.add("retry_after", retryAfter);
        }
        add(json, "detail", detail);
        add(json, "replica", replica);
        return json.build();
    }

    /**
     * The event as one line of JSON, which no value can end or split.
     *
     * @return line, without its line end
     */
    public String toJsonLine() {
        return LogLine.json(toJson());
    }

    @Override
    public String toString() {
        return toJsonLine();
    }

    private static void add(JsonObjectBuilder json, String name, String value) {
        if (value != null && !value.isEmpty()) {
            json.add(name, value);
        }
    }

    private static String cut(String value, int max) {
        if (value == null || value.length() <= max) {
            return value;
        }
        // never half a surrogate pair
        int end = Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max;
        return value.substring(0, end) + "…";
    }

    /**
     * Builds an event; every member is optional but the type and the outcome.
     */
    public static final class Builder {
        private final String type;
        private final String outcome;
        private String reason;
        private String username;
        private String clientId;
        private String address;
        private String sessionId;
        private String jti;
        private String keyId;
        private Long count;
        private Long retryAfter;
        private String detail;

        private Builder(String type, String outcome) {
            this.type = type;
            this.outcome = outcome;
        }

        /**
         * @param reason stable code
         * @return this
         */
        public Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        /**
         * @param username the user, or the name a failed login tried
         * @return this
         */
        public Builder username(String username) {
            this.username = username;
            return this;
        }

        /**
         * @param clientId client id
         * @return this
         */
        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        /**
         * @param address client address
         * @return this
         */
        public Builder address(String address) {
            this.address = address;
            return this;
        }

        /**
         * @param sessionId refresh token session
         * @return this
         */
        public Builder sessionId(String sessionId) {
            this.sessionId = sessionId;
            return this;
        }

        /**
         * @param jti access token id
         * @return this
         */
        public Builder jti(String jti) {
            this.jti = jti;
            return this;
        }

        /**
         * @param keyId key id
         * @return this
         */
        public Builder keyId(String keyId) {
            this.keyId = keyId;
            return this;
        }

        /**
         * @param count how many
         * @return this
         */
        public Builder count(long count) {
            this.count = count;
            return this;
        }

        /**
         * @param seconds the wait
         * @return this
         */
        public Builder retryAfter(long seconds) {
            this.retryAfter = seconds;
            return this;
        }

        /**
         * @param detail short explanation
         * @return this
         */
        public Builder detail(String detail) {
            this.detail = detail;
            return this;
        }

        /**
         * The event, without time and replica: the sink sets them.
         *
         * @return event
         */
        public SecurityEvent build() {
            return new SecurityEvent(null, type, outcome, reason, username, clientId, address, sessionId, jti, keyId,
                                     count, retryAfter, detail, null);
        }
    }
}
