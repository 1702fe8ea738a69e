package dev.tokenservice;

import java.time.Clock;
import java.util.List;
import java.util.Set;

import dev.tokenservice.clients.ClientAuthenticator;
import dev.tokenservice.clients.ClientStore;
import dev.tokenservice.clients.ConfigClientStore;
import dev.tokenservice.config.ConfigKeys;
import dev.tokenservice.discovery.JwksEndpoint;
import dev.tokenservice.discovery.MetadataEndpoint;
import dev.tokenservice.endpoint.IntrospectionEndpoint;
import dev.tokenservice.endpoint.RevocationEndpoint;
import dev.tokenservice.endpoint.TokenEndpoint;
import dev.tokenservice.keys.KeyRing;
import dev.tokenservice.oauth.GrantTypes;
import dev.tokenservice.ops.AccessLog;
import dev.tokenservice.ops.Readiness;
import dev.tokenservice.ops.SecurityEventLog;
import dev.tokenservice.ops.ServiceMetrics;
import dev.tokenservice.protection.BcryptBulkhead;
import dev.tokenservice.protection.ClientAddresses;
import dev.tokenservice.protection.LoginProtection;
import dev.tokenservice.protection.LoginProtectionSettings;
import dev.tokenservice.resource.BearerAuthentication;
import dev.tokenservice.resource.BearerGuard;
import dev.tokenservice.resource.BearerRefusals;
import dev.tokenservice.resource.ItemResource;
import dev.tokenservice.resource.LogoutResource;
import dev.tokenservice.resource.UserResource;
import dev.tokenservice.store.RefreshTokenSettings;
import dev.tokenservice.store.RefreshTokenStore;
import dev.tokenservice.store.RevokedTokens;
import dev.tokenservice.store.SharedStore;
import dev.tokenservice.store.StoreEvents;
import dev.tokenservice.store.StoreSettings;
import dev.tokenservice.store.StoreUnavailableException;
import dev.tokenservice.store.memory.MemoryStore;
import dev.tokenservice.store.postgres.PostgresStore;
import dev.tokenservice.token.AccessTokenVerifier;
import dev.tokenservice.token.ClientCredentialsGrant;
import dev.tokenservice.token.PasswordGrant;
import dev.tokenservice.token.RefreshTokenGrant;
import dev.tokenservice.token.Scopes;
import dev.tokenservice.token.TokenGrant;
import dev.tokenservice.token.TokenService;
import dev.tokenservice.token.TokenSettings;
import dev.tokenservice.token.TokenSubjects;
import dev.tokenservice.users.ConfigUserStore;
import dev.tokenservice.users.PasswordHasher;
import dev.tokenservice.web.ApiDocs;
import dev.tokenservice.web.ErrorHandling;
import dev.tokenservice.web.JsonErrors;
import dev.tokenservice.web.StrictRequests;
import dev.tokenservice.web.TakeTurns;

import io.helidon.config.Config;
import io.helidon.health.HealthCheckType;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.WebServerConfig;
import io.helidon.openapi.OpenApiFeature;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.helidon.webserver.spi.ServerFeature;

/**
 * The service's parts, built once from configuration and wired by hand: no global state, so tests build as many
 * independent instances as they need.
 */
public final class AuthServer {
    private static final System.Logger LOGGER = System.getLogger(AuthServer.class.getName());

    private final Config config;
    private final KeyRing keys;
    private final ConfigUserStore users;
    private final PasswordHasher hasher;
    private final BcryptBulkhead bulkhead;
    private final Scopes scopes;
    private final TokenService tokens;
    private final BearerAuthentication bearer;
    private final Readiness readiness;
    private final ServiceMetrics metrics;
    private final AccessLog accessLog;
    private final ClientAuthenticator clients;
    private final SharedStore stores;
    private final RevokedTokens revoked;
    private final RefreshTokenStore refreshTokens;
    private final LoginProtection protection;
    private final ClientAddresses addresses;
    private final SecurityEventLog events;
    private final Clock clock;

    private AuthServer(Config config, KeyRing keys, ConfigUserStore users, PasswordHasher hasher,
                       BcryptBulkhead bulkhead, Scopes scopes, TokenService tokens, ClientStore clients,
                       ServiceMetrics metrics, Clock clock, SecurityEventLog events) {
        this.events = events;
        this.clock = clock;
        this.config = config;
        this.keys = keys;
        this.users = users;
        this.hasher = hasher;
        this.bulkhead = bulkhead;
        this.scopes = scopes;
        this.tokens = tokens;
        this.metrics = metrics;
        this.accessLog = AccessLog.create(config.get("app.access-log"), metrics::accessLogLineDropped);
        TokenSettings settings = tokens.settings();
        this.stores = store(config.get("app"), clock, events, metrics);
        stores.events().ifPresent(events::writeTo);
        this.readiness = new Readiness(keys, users, stores);
        Config protectionConfig = config.get("app.login-protection");
        this.protection = new LoginProtection(LoginProtectionSettings.create(protectionConfig),
                                              stores.failureCounters(), clock, metrics::loginThrottled);
        this.addresses = ClientAddresses.create(protectionConfig);
        this.clients = new ClientAuthenticator(clients, hasher, protection, events);
        this.revoked = stores.revokedTokens();
        this.refreshTokens = stores.refreshTokens();
        AccessTokenVerifier rule = new AccessTokenVerifier(keys.publicKeys(), settings, revoked,
                                                           TokenSubjects.of(users, clients), clock);
        this.bearer = BearerAuthentication.create(config, rule, clock);
    }

    /**
     * Builds the service from configuration: loads (or generates) the keys and reads the users.
     *
     * @throws IllegalStateException or {@link dev.tokenservice.keys.InvalidKeySetException} when the
     *                               configuration must not be used; the message says what to fix
     */
    public static AuthServer create(Config config) {
        return create(config, Clock.systemUTC());
    }

    /** Builds the service with a clock of its own (tokens, refresh and revocation stores), for tests that move time. */
    static AuthServer create(Config config, Clock clock) {
        ConfigKeys.check(config, System.getenv()).forEach(warning -> LOGGER.log(System.Logger.Level.WARNING, warning));
        Config app = config.get("app");
        Scopes scopes = Scopes.create(app.get("scopes"));
        ServiceMetrics metrics = new ServiceMetrics(Metrics.globalRegistry());
        metrics.initialise(GrantTypes.ALL);
        SecurityEventLog events = SecurityEventLog.create(app.get("events"), metrics, clock);
        BcryptBulkhead bulkhead = BcryptBulkhead.create(app.get("password.bulkhead"), metrics::passwordCheckRefused);
        PasswordHasher hasher = new PasswordHasher(bcryptCost(config), metrics::passwordChecked, bulkhead);
        ConfigUserStore users = ConfigUserStore.create(app, scopes.names(), hasher.cost(), events);
        ClientStore clients = ConfigClientStore.create(app, Set.copyOf(GrantTypes.ALL), scopes.names(),
                                                       hasher.cost());
        KeyRing keys = KeyRing.load(app.get("keys"), events);
        TokenService tokens = new TokenService(keys, TokenSettings.create(app.get("token")), scopes, clock);
        return new AuthServer(config, keys, users, hasher, bulkhead, scopes, tokens, clients, metrics, clock, events);
    }

    /** The shared state: in memory when {@code app.store.url} is absent or empty, else in PostgreSQL. */
    private static SharedStore store(Config app, Clock clock, SecurityEventLog events, ServiceMetrics metrics) {
        StoreSettings settings = StoreSettings.create(app.get("store"));
        RefreshTokenSettings refresh = RefreshTokenSettings.create(app.get("refresh-token"));
        if (settings.url().isEmpty()) {
            return MemoryStore.create(settings, refresh, clock, TokenSettings.CLOCK_SKEW);
        }
        Config eventsConfig = app.get("events");
        StoreEvents storeEvents = new StoreEvents(events, ConfigKeys.EVENTS_RETENTION.duration(eventsConfig),
                                                  ConfigKeys.EVENTS_QUEUE_SIZE.integer(eventsConfig),
                                                  metrics::securityEventsUnwritten);
        return PostgresStore.create(settings, refresh, clock, TokenSettings.CLOCK_SKEW, storeEvents);
    }

    /** The configured bcrypt cost ({@code app.password.bcrypt-cost}, default 12). */
    public static int bcryptCost(Config config) {
        return ConfigKeys.PASSWORD_BCRYPT_COST.integer(config);
    }

    /** Sets up a web server: listener from {@code server}, features, error answers and routing. */
    public void configure(WebServerConfig.Builder server) {
        Config serverConfig = config.get("server");
        server.config(serverConfig)
                .featuresDiscoverServices(false)
                .directHandlers(ErrorHandling.directHandlers());
        features().forEach(server::addFeature);
        server.routing(this::routing);
    }

    /** The server features, explicit rather than discovered so that what runs is what this class says. */
    public List<ServerFeature> features() {
        return List.of(ObserveFeature.builder()
                               .observersDiscoverServices(false)
                               .addObserver(HealthObserver.builder()
                                                    .details(true)
                                                    .addCheck(readiness::check, HealthCheckType.READINESS, "service")
                                                    .build())
                               .addObserver(MetricsObserver.create())
                               .build(),
                       // serves META-INF/openapi.yaml at /openapi
                       OpenApiFeature.create(config.get("server.features.openapi")));
    }

    /** The routing: error answers, the access log and the routes. */
    public void routing(HttpRouting.Builder routing) {
        ErrorHandling.register(routing);
        routing.error(StoreUnavailableException.class, (req, res, e) -> JsonErrors.unavailable(res));
        if (ConfigKeys.TAKE_TURNS.bool(config)) {
            // before the access log, so that it yields after the log's work too
            routing.addFilter(new TakeTurns());
        }
        routing.addFilter(accessLog)
                .addFilter(new StrictRequests());
        routes(routing);
    }

    /** The routes, apart from those of the server features ({@code /observe}, {@code /openapi}). */
    public void routes(HttpRules rules) {
        BearerGuard guard = new BearerGuard(bearer, metrics, addresses, new BearerRefusals(events, clock));
        List<TokenGrant> grants = List.of(new PasswordGrant(users, hasher, scopes, tokens, refreshTokens,
                                                            protection, events),
                                          new RefreshTokenGrant(users, scopes, tokens, refreshTokens, events),
                                          new ClientCredentialsGrant(scopes, tokens, events));
        rules.register("/token", new TokenEndpoint(clients, addresses, grants, metrics, events))
                .register("/revoke", new RevocationEndpoint(clients, addresses, refreshTokens, bearer, revoked,
                                                            events))
                .register("/introspect", new IntrospectionEndpoint(clients, addresses, bearer, revoked))
                .register("/.well-known", new JwksEndpoint(keys.publicKeys()),
                          new MetadataEndpoint(tokens.settings().issuer(), scopes, GrantTypes.ALL))
                .register("/users/me/logout", new LogoutResource(guard, refreshTokens, revoked, addresses, events))
                .register("/users", new UserResource(guard, users))
                .register("/items", new ItemResource(guard));
        ApiDocs.register(rules);
    }

    /** The readiness check, which shutdown turns down first. */
    public Readiness readiness() {
        return readiness;
    }

    /** The access log, whose writer the stop closes once the server no longer answers. */
    public AccessLog accessLog() {
        return accessLog;
    }

    /** The security events, whose writer the stop closes after the store's last events. */
    public SecurityEventLog events() {
        return events;
    }

    /** The bulkhead of the bcrypt checks, for tests that fill it. */
    BcryptBulkhead bcryptBulkhead() {
        return bulkhead;
    }

    /** Whether any user can log in with a password. */
    public boolean hasUsers() {
        return !users.isEmpty();
    }

    /** The shared state, closed when the server stops. */
    public SharedStore stores() {
        return stores;
    }
}
