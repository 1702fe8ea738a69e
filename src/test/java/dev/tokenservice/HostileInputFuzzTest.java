package dev.tokenservice;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzzing over a real socket: generated request lines, headers, form bodies and access tokens sent
 * to every route, and signatures of any length under RS256 and ES256 keys. For each: an answer comes (no hang), it
 * is not a 5xx (but the documented 505 for HTTP/1.0), a 4xx or 5xx has a JSON body with an {@code error}, the server
 * still answers the next request, and nothing left a stack trace or an error in the log. Its output (in the surefire
 * report) says how many cases it sent. Edge cases
 * are off: jqwik's would take all the tries (the combinations are many), and the generators hold the hostile values
 * by hand.
 */
class HostileInputFuzzTest {
    private static final List<String> ROUTES = List.of("/token", "/revoke", "/introspect", "/users/me",
                                                       "/users/me/logout", "/items/1", "/items/42",
                                                       "/.well-known/jwks.json",
                                                       "/.well-known/oauth-authorization-server",
                                                       "/observe/health/ready", "/openapi", "/docs");
    private static final List<String> PARAMETERS = List.of("grant_type", "username", "password", "scope",
                                                           "refresh_token", "client_id", "client_secret", "token",
                                                           "token_type_hint");
    private static final AtomicInteger CASES = new AtomicInteger();

    private static TestApp.Instance instance;
    private static TestApp.Running running;
    /** Servers with asymmetric keys, whose verification can meet a signature of the wrong length. */
    private static List<TestApp.Running> asymmetric;
    private static List<String> asymmetricTokens;
    private static CapturedLog log;
    private static String valid;
    private static List<String> hostileTokens;

    @BeforeContainer
    static void start() {
        instance = TestApp.create(Map.of());
        running = TestApp.start(instance.server());
        valid = TestApp.token(running.client(), "alice", "alice-password");
        HostileTokens tokens = new HostileTokens(TestApp.hmacSecret(instance.keyFile()),
                                                 TestApp.activeKey(instance.keyFile()).getString("kid"),
                                                 UUID.randomUUID().toString(), Instant.now());
        hostileTokens = new ArrayList<>(tokens.refused().values());
        asymmetric = List.of(TestApp.start(TestApp.create(Map.of("app.keys.algorithm", "RS256")).server()),
                             TestApp.start(TestApp.create(Map.of("app.keys.algorithm", "ES256")).server()));
        asymmetricTokens = asymmetric.stream()
                .map(server -> TestApp.token(server.client(), "alice", "alice-password"))
                .toList();
        log = new CapturedLog();
    }

    @AfterContainer
    static void stop() {
        log.close();
        running.close();
        asymmetric.forEach(TestApp.Running::close);
        System.out.println("HostileInputFuzzTest: " + CASES.get() + " generated requests sent over a socket");
    }

    @Property(tries = 600, edgeCases = EdgeCasesMode.NONE)
    void anyRequestGetsACleanAnswer(@ForAll("requests") String request) {
        check(request);
    }

    @Property(tries = 400, edgeCases = EdgeCasesMode.NONE)
    void anyFormGetsACleanAnswer(@ForAll("formRequests") String request) {
        check(request);
    }

    @Property(tries = 400, edgeCases = EdgeCasesMode.NONE)
    void anyTokenGetsACleanAnswer(@ForAll("tokenRequests") String request) {
        check(request);
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void anySignatureGetsACleanAnswer(@ForAll("signatureRequests") Map.Entry<Integer, String> request) {
        check(asymmetric.get(request.getKey()).server().port(), request.getValue());
    }

    @Provide
    Arbitrary<String> requests() {
        Arbitrary<String> method = Arbitraries.oneOf(
                // no HEAD: its answer has a Content-Length and no body, which the reader here would wait for
                Arbitraries.of("GET", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "M-SEARCH", "get", "Post",
                               "gEt", "post", "delete", "purge", "m-search"),
                Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(8),
                Arbitraries.strings().ascii().ofMinLength(1).ofMaxLength(6).map(text -> text.replace(" ", "")
                        .replace("\n", "").replace("\r", "") + "X"));
        Arbitrary<String> target = Arbitraries.oneOf(
                Arbitraries.of(ROUTES),
                Arbitraries.of(ROUTES).map(route -> route + ";x=1"),
                Arbitraries.of(ROUTES).map(route -> route.substring(1)),
                Arbitraries.of("*", "/items/0042", "/items/-1", "/items/%34%32", "/items/1e3", "/%00", "/%zz",
                               "/users/me/../me", "//users/me", "/users/me?access_token=x", "/users/me#frag",
                               "http://localhost/users/me", "/" + "a".repeat(5000)),
                Arbitraries.strings().withCharRange('!', '~').ofMaxLength(40).map(text -> "/" + text));
        Arbitrary<String> version = Arbitraries.oneOf(Arbitraries.of("HTTP/1.1").withoutEdgeCases(),
                                                      Arbitraries.of("HTTP/1.0", "HTTP/2.0", "HTTP/1.2", "http/1.1",
                                                                     "HTTP/1.1 ", "HTTP/1", ""));
        Arbitrary<List<String>> headers = header().list().ofMaxSize(6);
        Arbitrary<String> body = Arbitraries.oneOf(form(), Arbitraries.strings().ofMaxLength(60),
                                                   Arbitraries.just(""));
        // the body always gets a Content-Length of its own: a generated framing header adds a second, refused one
        return Combinators.combine(method, target, version, headers, body)
                .as((m, t, v, h, b) -> m + " " + t + " " + v + "\r\nHost: localhost\r\n" + String.join("", h)
                        + framed("length", b));
    }

    @Provide
    Arbitrary<String> formRequests() {
        Arbitrary<String> path = Arbitraries.of("/token", "/revoke", "/introspect");
        Arbitrary<String> contentType = Arbitraries.of("application/x-www-form-urlencoded",
                                                       "application/x-www-form-urlencoded; charset=UTF-8",
                                                       "application/json", "text/plain", "multipart/form-data", "");
        Arbitrary<String> authorization = Arbitraries.oneOf(
                Arbitraries.just(""),
                Arbitraries.of("Basic Og==", "Basic dGVzdC1yczpycy1zZWNyZXQ=", "Basic !!!", "Basic", "Bearer x",
                               "Basic dGVzdC1yczpycy1zZWNyZXQ=\r\nAuthorization: Basic Og==")
                        .map(value -> "Authorization: " + value + "\r\n"));
        Arbitrary<String> framing = Arbitraries.of("length", "length", "length", "chunked", "none", "bad chunk");
        return Combinators.combine(path, contentType, authorization, form(), framing)
                .as((p, type, auth, body, frame) -> "POST " + p + " HTTP/1.1\r\nHost: localhost\r\n"
                        + (type.isEmpty() ? "" : "Content-Type: " + type + "\r\n") + auth + framed(frame, body));
    }

    @Provide
    Arbitrary<String> tokenRequests() {
        Arbitrary<String> token = Arbitraries.oneOf(Arbitraries.of(hostileTokens), mutatedToken(),
                                                    Arbitraries.strings().ofMaxLength(100));
        Arbitrary<Integer> route = Arbitraries.integers().between(0, 4);
        return Combinators.combine(token, route).as((t, r) -> switch (r) {
            case 0 -> "GET /users/me HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + headerSafe(t) + "\r\n\r\n";
            case 1 -> "GET /items/7 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + headerSafe(t) + "\r\n\r\n";
            case 2 -> "POST /users/me/logout HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + headerSafe(t)
                    + "\r\nContent-Length: 0\r\n\r\n";
            case 3 -> "POST /introspect HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic dGVzdC1yczpycy1zZWNyZXQ=\r\n"
                    + framed("length", "token=" + URLEncoder.encode(t, StandardCharsets.UTF_8))
                    .replaceFirst("^", "Content-Type: application/x-www-form-urlencoded\r\n");
            default -> "POST /revoke HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\n"
                    + framed("length", "token=" + URLEncoder.encode(t, StandardCharsets.UTF_8));
        });
    }

    /** An RS256 or ES256 server, and a request to it with its valid token's signature replaced by other bytes. */
    @Provide
    Arbitrary<Map.Entry<Integer, String>> signatureRequests() {
        Arbitrary<Integer> server = Arbitraries.integers().between(0, asymmetric.size() - 1);
        Arbitrary<byte[]> signature = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(600),
                Arbitraries.integers().between(0, 600).map(length -> new byte[length]));
        Arbitrary<String> path = Arbitraries.of("/users/me", "/items/7", "/introspect");
        return Combinators.combine(server, signature, path).as((s, bytes, p) -> {
            String token = asymmetricTokens.get(s);
            String forged = token.substring(0, token.lastIndexOf('.') + 1)
                    + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            String request = p.equals("/introspect")
                    ? "POST /introspect HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic dGVzdC1yczpycy1zZWNyZXQ=\r\n"
                            + "Content-Type: application/x-www-form-urlencoded\r\n"
                            + framed("length", "token=" + URLEncoder.encode(forged, StandardCharsets.UTF_8))
                    : "GET " + p + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + forged + "\r\n\r\n";
            return Map.entry(s, request);
        });
    }

    private static Arbitrary<String> mutatedToken() {
        Arbitrary<Integer> position = Arbitraries.integers().between(0, valid.length() - 1);
        Arbitrary<Character> character = Arbitraries.chars().with("AZaz09-_.=+/ ~%\"\\");
        Arbitrary<Integer> operation = Arbitraries.integers().between(0, 3);
        return Combinators.combine(position, character, operation).as((at, c, op) -> switch (op) {
            case 0 -> valid.substring(0, at) + c + valid.substring(at + 1);
            case 1 -> valid.substring(0, at) + c + valid.substring(at);
            case 2 -> valid.substring(0, at) + valid.substring(at + 1);
            default -> valid.substring(0, at);
        });
    }

    private static Arbitrary<String> header() {
        return Arbitraries.oneOf(
                Arbitraries.of("Content-Length: -1", "Content-Length: +5", "Content-Length: 05", "Content-Length: 5, 5",
                               "Content-Length: 99999999999999999999", "Content-Length: x",
                               "Transfer-Encoding: chunked", "Transfer-Encoding: Chunked",
                               "Transfer-Encoding: gzip", "Transfer-Encoding: chunked, identity",
                               "Connection: close", "Connection: keep-alive, close",
                               "Content-Type: application/x-www-form-urlencoded", "Content-Type: ;;;",
                               "Content-Encoding: gzip", "Authorization: Bearer " + valid, "Authorization: Basic Og==",
                               "Authorization: Bearer", "Authorization: ", "Host: ", "Host: a b",
                               "X-Forwarded-For: 1.2.3.4, ::1, garbage", "Accept: */*;q=x", "Upgrade: h2c",
                               "Cookie: a=b", "Range: bytes=0-1", "If-None-Match: \"x\""),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(30)
                        .map(text -> "X-" + text.replace(":", "") + ": " + text),
                Arbitraries.strings().ofMaxLength(20).map(text -> text + ": v"))
                .map(line -> line + "\r\n");
    }

    private static Arbitrary<String> form() {
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.of("", "password", "refresh_token", "client_credentials", "alice", "alice-password",
                               "me items", "%zz", "%", "%C3", "%C3%A9", "a+b", "&", "=", "%00", "x".repeat(300)),
                Arbitraries.strings().ofMaxLength(20));
        Arbitrary<String> pair = Combinators.combine(Arbitraries.oneOf(Arbitraries.of(PARAMETERS),
                                                                       Arbitraries.strings().ofMaxLength(8)), value)
                .as((name, v) -> name + "=" + v);
        return pair.list().ofMaxSize(8).map(pairs -> String.join("&", pairs));
    }

    /** The body with the framing named, consistent unless the name says otherwise, so that no case waits. */
    private static String framed(String framing, String body) {
        // the bytes of the body's UTF-8, one char each, as RawHttp sends text
        String bytes = new String(body.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        int utf8 = bytes.length();
        return switch (framing) {
            case "chunked" -> "Transfer-Encoding: chunked\r\n\r\n" + (utf8 == 0 ? "" : Integer.toHexString(utf8)
                    + "\r\n" + bytes + "\r\n") + "0\r\n\r\n";
            case "none" -> "\r\n" + bytes;
            case "bad chunk" -> "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + bytes + "\r\n0\r\n\r\n";
            default -> "Content-Length: " + utf8 + "\r\n\r\n" + bytes;
        };
    }

    private static String headerSafe(String text) {
        return text.replace("\r", "").replace("\n", "");
    }

    private static void check(String request) {
        check(running.server().port(), request);
    }

    private static void check(int port, String request) {
        CASES.incrementAndGet();
        RawHttp.Exchange exchange = RawHttp.first(port, request, 3000);
        List<RawHttp.Response> responses;
        try {
            responses = exchange.responses();
        } catch (RuntimeException e) {
            throw new AssertionError("unparsable answer to " + quote(request) + ": " + quote(exchange.raw()));
        }
        if (responses.isEmpty()) {
            throw new AssertionError("no answer within 3 s (closed=" + exchange.closed() + ") to " + quote(request));
        }
        RawHttp.Response response = responses.getFirst();
        boolean http10 = request.contains(" HTTP/1.0\r\n");
        int expected5xx = http10 ? 505 : 0;
        if (response.status() >= 500 && response.status() != expected5xx) {
            throw new AssertionError(response.status() + " to " + quote(request) + ": " + quote(exchange.raw()));
        }
        if (response.status() >= 400 && response.error() == null) {
            throw new AssertionError("no JSON error body with " + response.status() + " to " + quote(request)
                                             + ": " + quote(exchange.raw()));
        }
        RawHttp.Exchange health = RawHttp.first(port,
                                                "GET /observe/health/live HTTP/1.1\r\nHost: localhost\r\n\r\n", 3000);
        if (health.responses().isEmpty() || health.responses().getFirst().status() != 200) {
            throw new AssertionError("the server stopped answering after " + quote(request));
        }
        List<String> problems = log.problems();
        if (!problems.isEmpty()) {
            throw new AssertionError("the log has " + problems + " after " + quote(request));
        }
    }

    private static String quote(String text) {
        String shown = text.length() > 600 ? text.substring(0, 600) + "..." : text;
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : shown.toCharArray()) {
            quoted.append(c >= ' ' && c < 0x7F ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return quoted.append('"').toString();
    }
}
