package dev.tokenservice;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.isEmptyString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

/**
 * Hostile requests sent byte for byte over a socket: each gets one clean 4xx with a JSON body, never a 500 and
 * never silence, and the connection is closed where what follows on it could be read as another request.
 */
class HostileHttpTest {
    private static final String FORM = "Content-Type: application/x-www-form-urlencoded\r\n";
    private static final String LOGIN = "grant_type=password&username=alice&password=alice-password";

    private static TestApp.Instance instance;
    private static TestApp.Running running;
    private static int port;
    private static String alice;
    private static String dave;

    @BeforeAll
    static void start() {
        instance = TestApp.create(Map.of());
        running = TestApp.start(instance.server());
        port = running.server().port();
        alice = TestApp.token(running.client(), "alice", "alice-password");
        dave = TestApp.token(running.client(), "dave", "dave-password");
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    static Stream<Arguments> formRoutes() {
        return Stream.of("/token", "/revoke", "/introspect").map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("formRoutes")
    void formWithoutABodyIsInvalidRequest(String path) {
        // an empty body, and a body sent with no Content-Length (so, for HTTP/1.1, no body)
        for (String request : List.of(post(path, FORM + "Content-Length: 0\r\n", ""),
                                      post(path, FORM, ""))) {
            assertAnswer(RawHttp.send(port, request, 500), 400, "invalid_request", false);
        }
    }

    @ParameterizedTest
    @MethodSource("formRoutes")
    void otherTransferEncodingIsRefusedAndCloses(String path) {
        assertAnswer(RawHttp.send(port, post(path, FORM + "Transfer-Encoding: gzip\r\n", LOGIN)), 400,
                     "invalid_request", true);
    }

    @Test
    void negativeContentLengthIsRefusedAtOnce() {
        assertAnswer(RawHttp.send(port, post("/token", FORM + "Content-Length: -1\r\n", LOGIN)), 400,
                     "invalid_request", true);
    }

    @Test
    void invalidChunkSizeIsRefusedAtOnce() {
        assertAnswer(RawHttp.send(port, post("/token", FORM + "Transfer-Encoding: chunked\r\n",
                                             "zz\r\n" + LOGIN + "\r\n0\r\n\r\n")),
                     400, "invalid_request", true);
    }

    @Test
    void malformedRequestLinesAre400() {
        assertAnswer(RawHttp.send(port, "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", 500), 400, "invalid_request",
                     false);
        assertAnswer(RawHttp.send(port, "GET users/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + alice
                + "\r\n\r\n", 500), 400, "invalid_request", false);
        assertAnswer(RawHttp.send(port, "G\u0001ET /users/me HTTP/1.1\r\nHost: x\r\n\r\n"), 400, "invalid_request",
                     true);
    }

    @Test
    void aMethodInLowerCaseIsServedAsHelidonParsesIt() {
        // RFC 9110 §9.1 makes methods case-sensitive; Helidon 4.3.0 reads the method in upper case, and this
        // service serves it so (docs/api.md, HTTP strictness): this test shows a Helidon that changes that
        assertThat(bearer("get", "/users/me", alice).status(), is(200));
        assertThat(bearer("Get", "/items/1", alice).status(), is(200));
        assertThat(bearer("post", "/users/me", alice).status(), is(405));
    }

    @Test
    void tokenWithAMalformedClaimIs401WithJson() {
        HostileTokens tokens = new HostileTokens(TestApp.hmacSecret(instance.keyFile()),
                                                 TestApp.activeKey(instance.keyFile()).getString("kid"),
                                                 UUID.randomUUID().toString(), Instant.now());
        assertThat(bearer("GET", "/users/me", tokens.valid()).status(), is(200));
        for (String name : List.of("exp a string", "exp 1e20", "sub a number", "zoneinfo not a zone",
                                   "aud [1,2]")) {
            RawHttp.Response res = bearer("GET", "/users/me", tokens.refused().get(name));
            assertThat(name, res.status(), is(401));
            assertThat(name, res.error(), is("invalid_token"));
        }
        for (String name : List.of("no jti", "jti a number")) {
            RawHttp.Response res = bearer("POST", "/users/me/logout", tokens.refused().get(name));
            assertThat(name, res.status(), is(401));
            assertThat(name, res.error(), is("invalid_token"));
        }
    }

    // --- one request, one meaning

    @Test
    void twoAuthorizationHeadersAreInvalidRequest() {
        RawHttp.Exchange protectedRoute = RawHttp.send(port, "GET /users/me HTTP/1.1\r\nHost: x\r\n"
                + "Authorization: Bearer " + alice + "\r\nAuthorization: Bearer " + dave + "\r\n\r\n", 500);
        assertAnswer(protectedRoute, 400, "invalid_request", false);
        RawHttp.Exchange token = RawHttp.send(port, post("/token", FORM + "Authorization: Basic Og==\r\n"
                + "Authorization: Basic Og==\r\n" + "Content-Length: " + LOGIN.length() + "\r\n", LOGIN), 500);
        assertAnswer(token, 400, "invalid_request", false);
    }

    @Test
    void aRepeatedParameterCountsEvenWhenEmpty() {
        String form = LOGIN + "&password=";
        assertAnswer(RawHttp.send(port, post("/token", FORM + "Content-Length: " + form.length() + "\r\n", form),
                                  500), 400, "invalid_request", false);
        String empty = "grant_type=&" + LOGIN;
        assertAnswer(RawHttp.send(port, post("/token", FORM + "Content-Length: " + empty.length() + "\r\n", empty),
                                  500), 400, "invalid_request", false);
    }

    static Stream<Arguments> ambiguousFraming() {
        String chunked = Integer.toHexString(LOGIN.length()) + "\r\n" + LOGIN + "\r\n0\r\n\r\n";
        // what a proxy that reads the framing otherwise would forward as a second request
        String smuggled = "GET /.well-known/jwks.json HTTP/1.1\r\nHost: x\r\n\r\n";
        return Stream.of(
                Arguments.of("Content-Length and Transfer-Encoding", "Content-Length: " + LOGIN.length()
                        + "\r\nTransfer-Encoding: chunked\r\n", chunked + smuggled),
                Arguments.of("two Content-Length values", "Content-Length: " + LOGIN.length()
                        + "\r\nContent-Length: 5\r\n", LOGIN + smuggled),
                Arguments.of("Content-Length list", "Content-Length: " + LOGIN.length() + ", " + LOGIN.length()
                        + "\r\n", LOGIN + smuggled),
                Arguments.of("Content-Length +N", "Content-Length: +" + LOGIN.length() + "\r\n", LOGIN + smuggled),
                Arguments.of("Content-Length 0N", "Content-Length: 0" + LOGIN.length() + "\r\n", LOGIN + smuggled),
                Arguments.of("Transfer-Encoding: Chunked", "Transfer-Encoding: Chunked\r\n", chunked + smuggled),
                Arguments.of("Transfer-Encoding: chunked, identity", "Transfer-Encoding: chunked, identity\r\n",
                             chunked + smuggled),
                Arguments.of("Transfer-Encoding twice", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked"
                        + "\r\n", chunked + smuggled));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ambiguousFraming")
    void ambiguousFramingIsRefusedAndCloses(String name, String headers, String body) {
        // RFC 9112 §6.1, §6.3: reject and close; the request hidden in the body is never answered
        assertAnswer(RawHttp.send(port, post("/token", FORM + headers, body)), 400, "invalid_request", true);
    }

    @Test
    void nothingIsAnsweredAfterConnectionClose() {
        RawHttp.Exchange exchange = RawHttp.send(port, "GET /.well-known/jwks.json HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\n\r\nGET /.well-known/jwks.json HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(exchange.raw(), exchange.only().status(), is(200));
        assertThat(exchange.closed(), is(true));
        // a keep-alive request is answered and the connection stays open for the next one
        RawHttp.Exchange twice = RawHttp.send(port, "GET /.well-known/jwks.json HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /.well-known/jwks.json HTTP/1.1\r\nHost: x\r\n\r\n", 500);
        assertThat(twice.responses().size(), is(2));
        assertThat(twice.closed(), is(false));
    }

    @Test
    void itemIdsThatAreNotPlainIntegersAre400() {
        RawHttp.Response zeros = bearer("GET", "/items/0042", alice);
        assertThat(zeros.status(), is(400));
        assertThat(zeros.error(), is("invalid_item_id"));
        RawHttp.Response parameters = bearer("GET", "/items/42;x=1", alice);
        assertThat(parameters.status(), is(400));
        assertThat(parameters.error(), is("invalid_request"));
        assertThat(bearer("GET", "/items/42", alice).status(), is(200));
    }

    // --- HTTP/1.0

    @Test
    void http10Is505WithAJsonBody() {
        for (String request : List.of("GET /.well-known/jwks.json HTTP/1.0\r\n\r\n",
                                      "GET /observe/health/ready HTTP/1.0\r\nHost: x\r\n\r\n")) {
            RawHttp.Exchange exchange = RawHttp.send(port, request);
            assertAnswer(exchange, 505, "http_version_not_supported", true);
        }
    }

    private static RawHttp.Response bearer(String method, String path, String token) {
        RawHttp.Exchange exchange = RawHttp.send(port, method + " " + path + " HTTP/1.1\r\nHost: x\r\n"
                + "Authorization: Bearer " + token + "\r\nConnection: close\r\n\r\n");
        return exchange.only();
    }

    private static String post(String path, String headers, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n" + body;
    }

    private static void assertAnswer(RawHttp.Exchange exchange, int status, String error, boolean closed) {
        RawHttp.Response response = exchange.only();
        assertThat(exchange.raw(), response.status(), is(status));
        assertThat(exchange.raw(), response.headers().get("content-type"), is("application/json"));
        assertThat(exchange.raw(), response.error(), is(error));
        assertThat(exchange.raw(), response.json().orElseThrow().getString("error_description"), not(isEmptyString()));
        if (closed) {
            assertThat(exchange.raw(), exchange.closed(), is(true));
            assertThat("closed at once", exchange.millis(), lessThan(1000L));
        }
    }
}
