package dev.tokenservice.ops;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.tokenservice.events.EventTypes;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

/**
 * The service's own meters, served with the JVM's at {@code /observe/metrics}. Labels carry only bounded,
 * non-personal values: grant types, RFC error codes, refusal reasons; never a username, client or token.
 */
public final class ServiceMetrics {
    private final MeterRegistry registry;
    private final Timer passwordChecks;
    private final Map<String, Counter> securityEvents = new ConcurrentHashMap<>();

    public ServiceMetrics(MeterRegistry registry) {
        this.registry = registry;
        // histogram buckets rather than percentiles: buckets add up across replicas
        this.passwordChecks = registry.getOrCreate(Timer.builder("password.checks")
                                                           .description("Time of bcrypt password and secret checks")
                                                           .buckets(Duration.ofMillis(10), Duration.ofMillis(50),
                                                                    Duration.ofMillis(100), Duration.ofMillis(250),
                                                                    Duration.ofMillis(500), Duration.ofSeconds(1),
                                                                    Duration.ofSeconds(2)));
    }

    /** The RFC 6749 §5.2 error codes the token endpoint answers, and its 503. */
    static final List<String> TOKEN_ERRORS = List.of("invalid_request", "invalid_client", "invalid_grant",
                                                     "unauthorized_client", "unsupported_grant_type",
                                                     "invalid_scope", "temporarily_unavailable");
    /** Why protected routes refuse a request. */
    static final List<String> BEARER_REJECTIONS = List.of("missing", "invalid", "insufficient_scope", "malformed");
    /** What login throttling counts by. */
    static final List<String> THROTTLING_REASONS = List.of("username", "client", "address");

    /**
     * Creates every counter at zero, for each of its label values, so that a fresh server already shows them
     * (Prometheus sees a counter start rather than appear with its first event, and a {@code grep} of the
     * metrics finds them).
     *
     * @param grantTypes the grant types the token endpoint serves
     */
    public void initialise(List<String> grantTypes) {
        grantTypes.forEach(grant -> counter("tokens.issued", "Access tokens issued", "grant_type", grant));
        TOKEN_ERRORS.forEach(error -> counter("token.errors", "Error answers of the token endpoint", "error", error));
        BEARER_REJECTIONS.forEach(reason -> counter("bearer.rejections", "Refused requests to protected routes",
                                                    "reason", reason));
        THROTTLING_REASONS.forEach(reason -> counter("login.throttled", "Login and client authentication attempts"
                + " refused by throttling", "reason", reason));
        droppedLines();
        refusedChecks();
        EventTypes.ALL.forEach(type -> List.of(EventTypes.SUCCESS, EventTypes.FAILURE)
                .forEach(outcome -> securityEvent(type, outcome)));
        droppedEvents();
        unwrittenEvents();
    }

    /**
     * Counts a security event by its type and outcome ({@code security_events_total}).
     *
     * @param type    event type
     * @param outcome {@code success} or {@code failure}
     */
    public void securityEventEmitted(String type, String outcome) {
        securityEvent(type, outcome).increment();
    }

    private Counter securityEvent(String type, String outcome) {
        // a map lookup on the request path rather than the registry's builder and lookup
        return securityEvents.computeIfAbsent(type + ' ' + outcome, key -> registry.getOrCreate(
                Counter.builder("security.events")
                        .description("Security events, by type and outcome")
                        .tags(List.of(Tag.create("type", type), Tag.create("outcome", outcome)))));
    }

    /**
     * Counts a security event dropped from the log because its writer could not keep up.
     */
    public void securityEventDropped() {
        droppedEvents().increment();
    }

    private Counter droppedEvents() {
        return registry.getOrCreate(Counter.builder("security.events.dropped")
                                            .description("Security events dropped from the log because its writer"
                                                                 + " could not keep up"));
    }

    /**
     * Counts security events that could not be written to the store's table (an outage, or its writer's queue
     * full); the log has them.
     *
     * @param count how many
     */
    public void securityEventsUnwritten(long count) {
        unwrittenEvents().increment(count);
    }

    private Counter unwrittenEvents() {
        return registry.getOrCreate(Counter.builder("security.events.unwritten")
                                            .description("Security events that could not be written to the store's"
                                                                 + " table"));
    }

    /** Counts an issued access token. */
    public void tokenIssued(String grantType) {
        counter("tokens.issued", "Access tokens issued", "grant_type", grantType).increment();
    }

    /**
     * Counts an error answer of the token endpoint.
     *
     * @param error RFC 6749 error code
     */
    public void tokenError(String error) {
        counter("token.errors", "Error answers of the token endpoint", "error", error).increment();
    }

    /**
     * Counts a refused request to a protected route.
     *
     * @param reason {@code missing}, {@code invalid}, {@code insufficient_scope} or {@code malformed}
     */
    public void bearerRejected(String reason) {
        counter("bearer.rejections", "Refused requests to protected routes", "reason", reason).increment();
    }

    /**
     * Counts an attempt refused because its username, client id or address waits after too many failures.
     *
     * @param reason {@code username}, {@code client} or {@code address}
     */
    public void loginThrottled(String reason) {
        counter("login.throttled", "Login and client authentication attempts refused by throttling", "reason",
                reason).increment();
    }

    /** Counts an access log line dropped because the log could not keep up. */
    public void accessLogLineDropped() {
        droppedLines().increment();
    }

    private Counter droppedLines() {
        return registry.getOrCreate(Counter.builder("access.log.dropped")
                                            .description("Access log lines dropped because the log could not keep"
                                                                 + " up"));
    }

    /** Counts a password or secret check refused because too many were running and waiting (the bcrypt bulkhead). */
    public void passwordCheckRefused() {
        refusedChecks().increment();
    }

    private Counter refusedChecks() {
        return registry.getOrCreate(Counter.builder("password.checks.refused")
                                            .description("bcrypt checks refused by the bulkhead, answered 503"));
    }

    /** Records the time of one bcrypt check. */
    public void passwordChecked(Duration time) {
        passwordChecks.record(time);
    }

    private Counter counter(String name, String description, String tag, String value) {
        return registry.getOrCreate(Counter.builder(name).description(description)
                                            .tags(List.of(Tag.create(tag, value))));
    }
}
