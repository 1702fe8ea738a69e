package dev.tokenservice;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import dev.tokenservice.web.CaseSensitiveMethods;

import io.helidon.webserver.http1.spi.Http1UpgradeProvider;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * Methods are case-sensitive (RFC 9110 §9.1): a method with a lower-case letter is 501 {@code not_implemented} with
 * the usual JSON body and a closed connection, on the first request of a connection and on any later one, while
 * upper-case methods, header values and bodies are read as before.
 */
class CaseSensitiveMethodsTest {
    private static final String FORM = "Content-Type: application/x-www-form-urlencoded\r\n";
    private static final String JWKS = "GET /.well-known/jwks.json HTTP/1.1\r\nHost: x\r\n\r\n";

    private static TestApp.Running running;
    private static int port;
    private static String alice;

    @BeforeAll
    static void start() {
        running = TestApp.start(TestApp.create(Map.of()).server());
        port = running.server().port();
        alice = TestApp.token(running.client(), "alice", "alice-password");
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    static Stream<Arguments> lowerCaseRequests() {
        String login = "grant_type=password&username=alice&password=alice-password";
        return Stream.of(Arguments.of("get /users/me HTTP/1.1\r\nHost: x\r\n\r\n"),
                         Arguments.of("Get /users/me HTTP/1.1\r\nHost: x\r\n\r\n"),
                         Arguments.of("gEt /users/me HTTP/1.1\r\nHost: x\r\n\r\n"),
                         Arguments.of("post /token HTTP/1.1\r\nHost: x\r\n" + FORM + "Content-Length: "
                                              + login.length() + "\r\n\r\n" + login),
                         Arguments.of("purge /items/1 HTTP/1.1\r\nHost: x\r\n\r\n"),
                         // before Helidon's own checks of the protocol version
                         Arguments.of("get /users/me HTTP/1.0\r\n\r\n"));
    }

    @ParameterizedTest
    @MethodSource("lowerCaseRequests")
    void aLowerCaseMethodIs501AndCloses(String request) {
        assertRefused(RawHttp.send(port, request));
    }

    @Test
    void aLowerCaseMethodWithAValidTokenIsStill501() {
        RawHttp.Exchange exchange = RawHttp.send(port, "get /users/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + alice + "\r\n\r\n");
        assertRefused(exchange);
    }

    @Test
    void upperCaseMethodsAreServedAsBefore() {
        RawHttp.Exchange exchange = RawHttp.send(port, "GET /users/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + alice + "\r\nConnection: close\r\n\r\n");
        RawHttp.Response me = exchange.only();
        assertThat(exchange.raw(), me.status(), is(200));
        assertThat(me.json().orElseThrow().getString("username"), is("alice"));
        RawHttp.Response anonymous = RawHttp.send(port, "GET /users/me HTTP/1.1\r\nHost: x\r\nConnection: close"
                + "\r\n\r\n").only();
        assertThat(anonymous.status(), is(401));
        assertThat(anonymous.headers().get("www-authenticate"), is("Bearer"));
    }

    @Test
    void anUnknownUpperCaseMethodIsAnsweredAsBefore() {
        // not the 501 of a lower-case one: the routes answer it, 405 with Allow where the path exists, else 404
        RawHttp.Exchange exchange = RawHttp.send(port, "PURGE /users/me HTTP/1.1\r\nHost: x\r\nConnection: close"
                + "\r\n\r\n");
        RawHttp.Response known = exchange.only();
        assertThat(exchange.raw(), known.status(), is(405));
        assertThat(known.error(), is("method_not_allowed"));
        RawHttp.Response unknown = RawHttp.send(port, "PURGE /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .only();
        assertThat(unknown.status(), is(404));
        assertThat(unknown.error(), is("not_found"));
    }

    @Test
    void aMethodThatIsNotATokenIsStillAMalformedRequestLine() {
        RawHttp.Exchange exchange = RawHttp.send(port, "g\u0001et /users/me HTTP/1.1\r\nHost: x\r\n\r\n");
        RawHttp.Response response = exchange.only();
        assertThat(exchange.raw(), response.status(), is(400));
        assertThat(response.error(), is("invalid_request"));
    }

    @Test
    void aLowerCaseMethodLaterOnAKeptAliveConnectionIs501() {
        RawHttp.Exchange exchange = RawHttp.send(port, JWKS + "get /.well-known/jwks.json HTTP/1.1\r\nHost: x\r\n\r\n"
                + JWKS);
        assertThat(exchange.raw(), statuses(exchange), contains(200, 501));
        assertRefused(exchange.responses().get(1), exchange);
    }

    @Test
    void bodiesAndHeaderValuesAreNotTakenForRequestLines() {
        // a body that looks like a lower-case request line, in both framings, then a request line that is one
        String body = "get /x HTTP/1.1";
        RawHttp.Exchange exchange = RawHttp.send(port,
                "POST /revoke HTTP/1.1\r\nHost: x\r\n" + FORM + "Content-Length: " + body.length() + "\r\n\r\n" + body
                        + "POST /revoke HTTP/1.1\r\nHost: x\r\n" + FORM + "Transfer-Encoding: chunked\r\n\r\n"
                        + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n"
                        // Helidon reads a Connection value the way it reads a request line
                        + "GET /.well-known/jwks.json HTTP/1.1\r\nHost: x\r\nConnection:keep-alive\r\n\r\n"
                        + "GET /.well-known/jwks.json HTTP/1.1\r\nHost: x\r\nConnection:get it\r\n\r\n"
                        + "post /revoke HTTP/1.1\r\nHost: x\r\n\r\n");
        List<Integer> statuses = statuses(exchange);
        assertThat(exchange.raw(), statuses.size(), is(5));
        // the body is not a form with a token: refused by the route, so both were read as POST /revoke
        assertThat(exchange.raw(), statuses.subList(0, 2), contains(400, 400));
        assertThat(exchange.responses().get(1).json().orElseThrow().getString("error_description"),
                   is("Parameter 'token' is required"));
        assertThat(exchange.raw(), statuses.subList(2, 5), contains(200, 200, 501));
        assertThat(exchange.closed(), is(true));
    }

    @Test
    void theHttp1SettingsOfTheConfigurationStillApply() {
        try (TestApp.Running small = TestApp.start(TestApp.create(
                Map.of("server.protocols.http_1_1.max-prologue-length", "64")).server())) {
            int smallPort = small.server().port();
            RawHttp.Exchange tooLong = RawHttp.send(smallPort, "GET /" + "a".repeat(80) + " HTTP/1.1\r\nHost: x\r\n"
                    + "\r\n");
            assertThat(tooLong.raw(), tooLong.only().status(), is(414));
            RawHttp.Response fits = RawHttp.send(smallPort, "GET /.well-known/jwks.json HTTP/1.1\r\nHost: x\r\n"
                    + "Connection: close\r\n\r\n").only();
            assertThat(fits.status(), is(200));
            assertRefused(RawHttp.send(smallPort, "get /users/me HTTP/1.1\r\nHost: x\r\n\r\n"));
        }
    }

    @Test
    void overTlsWithAndWithoutAlpn(@TempDir Path folder) throws Exception {
        // with ALPN, Helidon picks the selector that offers http/1.1 without asking it: it must be this one
        Path keystore = folder.resolve("server.p12");
        // alias 1: the one Helidon's keystore configuration reads by default
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                                             "-genkeypair", "-alias", "1", "-keyalg", "EC", "-dname", "CN=localhost",
                                             "-validity", "1", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                                             "-storepass", "test-pass", "-keypass", "test-pass")
                .redirectErrorStream(true).start();
        assertThat(new String(keytool.getInputStream().readAllBytes()), keytool.waitFor(), is(0));
        try (TestApp.Running tls = TestApp.start(TestApp.create(
                Map.of("server.tls.private-key.keystore.passphrase", "test-pass",
                       "server.tls.private-key.keystore.resource.path", keystore.toString())).server())) {
            SSLContext context = SSLContext.getInstance("TLS");
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(keystore)) {
                store.load(in, "test-pass".toCharArray());
            }
            trust.init(store);
            context.init(null, trust.getTrustManagers(), null);
            for (boolean alpn : List.of(true, false)) {
                SSLSocket lowerCase = tlsSocket(context, tls.server().port(), alpn);
                assertThat(lowerCase.getApplicationProtocol(), is(alpn ? "http/1.1" : ""));
                assertRefused(RawHttp.send(lowerCase, "get /users/me HTTP/1.1\r\nHost: x\r\n\r\n", 2000));
                RawHttp.Exchange upperCase = RawHttp.send(tlsSocket(context, tls.server().port(), alpn),
                                                          "GET /users/me HTTP/1.1\r\nHost: x\r\n\r\n" + JWKS
                                                                  + "get /users/me HTTP/1.1\r\nHost: x\r\n\r\n", 2000);
                assertThat(upperCase.raw(), statuses(upperCase), contains(401, 200, 501));
            }
        }
    }

    @Test
    void noProtocolUpgradeIsOnTheClassPath() {
        // the selector builds Helidon's HTTP/1 connection without upgraders: adding WebSocket or h2c means adding
        // them there too (as Helidon's Http1ConnectionProvider does)
        assertThat(ServiceLoader.load(Http1UpgradeProvider.class).stream().map(ServiceLoader.Provider::type).toList(),
                   is(empty()));
    }

    private static SSLSocket tlsSocket(SSLContext context, int port, boolean alpn) throws Exception {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", port);
        if (alpn) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"http/1.1"});
            socket.setSSLParameters(parameters);
        }
        socket.startHandshake();
        return socket;
    }

    private static List<Integer> statuses(RawHttp.Exchange exchange) {
        return exchange.responses().stream().map(RawHttp.Response::status).toList();
    }

    private static void assertRefused(RawHttp.Exchange exchange) {
        assertRefused(exchange.only(), exchange);
    }

    private static void assertRefused(RawHttp.Response response, RawHttp.Exchange exchange) {
        assertThat(exchange.raw(), response.status(), is(501));
        assertThat(exchange.raw(), response.headers().get("content-type"), is("application/json"));
        assertThat(exchange.raw(), response.headers().get("connection"), is("close"));
        assertThat(exchange.raw(), response.error(), is("not_implemented"));
        assertThat(exchange.raw(), response.json().orElseThrow().getString("error_description"),
                   is(CaseSensitiveMethods.DESCRIPTION));
        assertThat(exchange.raw(), exchange.closed(), is(true));
        assertThat("closed at once", exchange.millis(), lessThan(1000L));
    }
}
