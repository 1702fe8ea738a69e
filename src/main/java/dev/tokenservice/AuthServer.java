package dev.tokenservice;

import java.time.Clock;
import java.util.List;

import dev.tokenservice.api.AccessTokenProvider;
import dev.tokenservice.api.BearerGuard;
import dev.tokenservice.api.ItemResource;
import dev.tokenservice.api.UserResource;
import dev.tokenservice.discovery.JwksEndpoint;
import dev.tokenservice.discovery.MetadataEndpoint;
import dev.tokenservice.keys.KeyRing;
import dev.tokenservice.ops.AccessLog;
import dev.tokenservice.ops.Readiness;
import dev.tokenservice.ops.ServiceMetrics;
import dev.tokenservice.token.PasswordGrant;
import dev.tokenservice.token.Scopes;
import dev.tokenservice.token.TokenEndpoint;
import dev.tokenservice.token.TokenGrant;
import dev.tokenservice.token.TokenService;
import dev.tokenservice.token.TokenSettings;
import dev.tokenservice.users.ConfigUserStore;
import dev.tokenservice.users.PasswordHasher;
import dev.tokenservice.users.UserStore;
import dev.tokenservice.web.ErrorHandling;

import io.helidon.config.Config;
import io.helidon.health.HealthCheckType;
import io.helidon.metrics.api.Metrics;
import io.helidon.security.Security;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.context.ContextFeature;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.helidon.webserver.security.SecurityFeature;
import io.helidon.webserver.spi.ServerFeature;

/**
 * The service's parts, built once from configuration and wired by hand: no global state, so tests build as many
 * independent instances as they need.
 */
public final class AuthServer {
    private final Config config;
    private final KeyRing keys;
    private final UserStore users;
    private final PasswordHasher hasher;
    private final Scopes scopes;
    private final TokenService tokens;
    private final Security security;
    private final Readiness readiness;
    private final ServiceMetrics metrics;

    private AuthServer(Config config, KeyRing keys, UserStore users, PasswordHasher hasher, Scopes scopes,
                       TokenService tokens, ServiceMetrics metrics) {
        this.config = config;
        this.keys = keys;
        this.users = users;
        this.hasher = hasher;
        this.scopes = scopes;
        this.tokens = tokens;
        this.metrics = metrics;
        this.readiness = new Readiness(keys, users);
        this.security = Security.builder()
                .addAuthenticationProvider(AccessTokenProvider.create(config.get("security"), keys,
                                                                      tokens.settings()),
                                           "jwt")
                .build();
    }

    /**
     * Builds the service from configuration: loads (or generates) the keys and reads the users.
     *
     * @param config root configuration
     * @return the service
     * @throws IllegalStateException or {@link dev.tokenservice.keys.InvalidKeySetException} when the
     *                               configuration must not be used; the message says what to fix
     */
    public static AuthServer create(Config config) {
        Config app = config.get("app");
        Scopes scopes = Scopes.create(app.get("scopes"));
        ServiceMetrics metrics = new ServiceMetrics(Metrics.globalRegistry());
        PasswordHasher hasher = new PasswordHasher(bcryptCost(config), metrics::passwordChecked);
        UserStore users = ConfigUserStore.create(app, scopes.names(), hasher.cost());
        KeyRing keys = KeyRing.load(app.get("keys"));
        TokenService tokens = new TokenService(keys, TokenSettings.create(app.get("token")), scopes,
                                               Clock.systemUTC());
        return new AuthServer(config, keys, users, hasher, scopes, tokens, metrics);
    }

    /**
     * The configured bcrypt cost ({@code app.password.bcrypt-cost}, default 12).
     *
     * @param config root configuration
     * @return cost
     */
    public static int bcryptCost(Config config) {
        return config.get("app.password.bcrypt-cost").asInt().orElse(12);
    }

    /**
     * Sets up a web server: listener from {@code server}, features, error answers and routing.
     *
     * @param server server builder
     */
    public void configure(WebServerConfig.Builder server) {
        server.config(config.get("server"))
                .featuresDiscoverServices(false)
                .directHandlers(ErrorHandling.directHandlers());
        features().forEach(server::addFeature);
        server.routing(this::routing);
    }

    /**
     * The server features, explicit rather than discovered so that what runs is what this class says.
     *
     * @return features
     */
    public List<ServerFeature> features() {
        return List.of(ContextFeature.create(),
                       SecurityFeature.builder().security(security).build(),
                       ObserveFeature.builder()
                               .observersDiscoverServices(false)
                               .addObserver(HealthObserver.builder()
                                                    .details(true)
                                                    .addCheck(readiness::check, HealthCheckType.READINESS, "service")
                                                    .build())
                               .addObserver(MetricsObserver.create())
                               .build());
    }

    /**
     * The routes.
     *
     * @param routing routing builder
     */
    public void routing(HttpRouting.Builder routing) {
        BearerGuard guard = new BearerGuard(users, metrics);
        List<TokenGrant> grants = List.of(new PasswordGrant(users, hasher, scopes, tokens));
        ErrorHandling.register(routing);
        routing.addFilter(AccessLog.create(config.get("app.access-log")));
        routing.register("/token", new TokenEndpoint(grants))
                .register("/.well-known", new JwksEndpoint(keys),
                          new MetadataEndpoint(tokens.settings().issuer(), scopes,
                                               grants.stream().map(TokenGrant::grantType).toList()))
                .register("/users", new UserResource(guard, users))
                .register("/items", new ItemResource(guard));
    }

    /**
     * The readiness check, which shutdown turns down first.
     *
     * @return readiness
     */
    public Readiness readiness() {
        return readiness;
    }

    /**
     * The token service, for tools and tests.
     *
     * @return token service
     */
    public TokenService tokens() {
        return tokens;
    }
}
