package dev.tokenservice.web;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.config.Config;
import io.helidon.config.ConfigBuilderSupport;
import io.helidon.http.DirectHandler;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import io.helidon.webserver.http.DirectTransportRequest;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ProtocolConfig;
import io.helidon.webserver.spi.ProtocolConfigProvider;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

/**
 * Refuses a method written in lower case ({@code get /users/me}) with 501 {@code not_implemented}: methods are
 * case-sensitive (RFC 9110 §9.1), so {@code get} is not {@code GET} but a method this service does not implement
 * (RFC 9110 §15.6.2).
 * <p>
 * Written by hand because Helidon 4.3.0 has no setting for it and no hook early enough: its request-line parser
 * ({@code Http1Prologue}) upper-cases the method ({@code Method.create}) before any filter, listener or handler runs,
 * and the raw-data listener it registers on the connection's reader is never called. So this class is the server
 * socket's HTTP/1 connection selector in place of Helidon's (see {@code AuthServer.configure}): it hands every
 * connection to Helidon's own HTTP/1 connection, configured from the same {@code server.protocols}, but reading
 * through a {@link DataReader} that sees each request line's bytes as the parser takes them, on every request of a
 * kept-alive connection, and refuses the request there. The answer is Helidon's own error path: the JSON body of
 * {@link ErrorHandling#directHandlers()}, {@code Connection: close}, and the connection closed.
 * <p>
 * What it relies on in Helidon 4.3.0 (pinned by {@code CaseSensitiveMethodsTest}): the parser reads the request line
 * with {@code readBytes}, which otherwise only reads {@code Connection} header values; and the header section is read
 * until {@code startsWithNewLine} finds the empty line that ends it (RFC 9112 §2.1), after which only the body is read
 * before the next request line.
 */
public final class CaseSensitiveMethods implements ServerConnectionSelector {
    /** The {@code error_description} of the refusal (ASCII, as RFC 6749 §5.2 asks of every description here). */
    public static final String DESCRIPTION = "Methods are case-sensitive (RFC 9110 section 9.1): send the method in"
            + " upper case, such as GET or POST";

    private final Http1ConnectionSelector http1;

    private CaseSensitiveMethods(Http1ConnectionSelector http1) {
        this.http1 = http1;
    }

    /**
     * The selector, with the HTTP/1 settings of {@code server.protocols} (Helidon's defaults when it has none),
     * read the way Helidon reads them.
     *
     * @param server the {@code server} configuration
     * @return selector
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static CaseSensitiveMethods create(Config server) {
        List<ProtocolConfig> protocols = ConfigBuilderSupport.discoverServices(server, "protocols",
                                                                              (Class) ProtocolConfigProvider.class,
                                                                              ProtocolConfig.class, true, List.of());
        Http1Config config = protocols.stream()
                .filter(Http1Config.class::isInstance)
                .map(Http1Config.class::cast)
                .findFirst()
                .orElseGet(Http1Config::create);
        // no upgrades (WebSocket, h2c): no upgrade module is on the class path
        return new CaseSensitiveMethods(Http1ConnectionSelector.builder().config(config).build());
    }

    @Override
    public int bytesToIdentifyConnection() {
        return 0;
    }

    @Override
    public Support supports(BufferData data) {
        // HTTP/1 is the only protocol served: every connection is this selector's, as Helidon does with a single
        // selector, so that a request line Helidon refuses (HTTP/1.0: 505) still gets its JSON answer
        return Support.SUPPORTED;
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return http1.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        return http1.connection(new CheckedConnection(ctx, new RequestLineReader(ctx.dataReader())));
    }

    /**
     * The method of a request line when it is a token (RFC 9110 §5.6.2) with a lower-case letter; a method that is not
     * a token is a malformed request line, which Helidon refuses with 400.
     *
     * @param requestLine the request line's bytes, without its CRLF
     * @return the method, or {@code null} when it is not refused here
     */
    static String lowerCaseMethod(byte[] requestLine) {
        boolean lowerCase = false;
        for (int i = 0; i < requestLine.length; i++) {
            byte b = requestLine[i];
            if (b == ' ') {
                return lowerCase ? new String(requestLine, 0, i, StandardCharsets.US_ASCII) : null;
            }
            if (!isTchar(b)) {
                return null;
            }
            lowerCase |= b >= 'a' && b <= 'z';
        }
        return null;
    }

    private static boolean isTchar(byte b) {
        return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
                || "!#$%&'*+-.^_`|~".indexOf(b) >= 0;
    }

    /** Reads the connection's bytes as they come and checks the method of each request line. */
    private static final class RequestLineReader extends DataReader {
        private boolean atRequestLine = true;

        RequestLineReader(DataReader connection) {
            super(() -> {
                connection.ensureAvailable();
                return connection.readBytes(connection.available());
            });
        }

        @Override
        public byte[] readBytes(int length) {
            byte[] bytes = super.readBytes(length);
            if (atRequestLine) {
                atRequestLine = false;
                String method = lowerCaseMethod(bytes);
                if (method != null) {
                    refuse(method, bytes);
                }
            }
            return bytes;
        }

        @Override
        public boolean startsWithNewLine() {
            boolean endOfHeaders = super.startsWithNewLine();
            if (endOfHeaders) {
                // the body, if any, is read with other calls; the next readBytes is the next request's line
                atRequestLine = true;
            }
            return endOfHeaders;
        }

        private void refuse(String method, byte[] requestLine) {
            // take in what has arrived of the request, so that closing the connection with unread data does not reset
            // it before the client reads the answer
            skip(available());
            int pathEnd = indexOf(requestLine, ' ', method.length() + 1);
            String path = new String(requestLine, method.length() + 1, pathEnd - method.length() - 1,
                                     StandardCharsets.US_ASCII);
            throw RequestException.builder()
                    .type(DirectHandler.EventType.OTHER)
                    .status(Status.NOT_IMPLEMENTED_501)
                    .request(DirectTransportRequest.create("HTTP/1.1", method, path))
                    .setKeepAlive(false)
                    .message(DESCRIPTION)
                    .safeMessage(true)
                    .build();
        }

        private static int indexOf(byte[] bytes, char c, int from) {
            for (int i = from; i < bytes.length; i++) {
                if (bytes[i] == c) {
                    return i;
                }
            }
            return bytes.length;
        }
    }

    /** The connection's context with the checking reader. */
    private record CheckedConnection(ConnectionContext ctx, DataReader dataReader) implements ConnectionContext {
        @Override
        public ListenerContext listenerContext() {
            return ctx.listenerContext();
        }

        @Override
        public ExecutorService executor() {
            return ctx.executor();
        }

        @Override
        public DataWriter dataWriter() {
            return ctx.dataWriter();
        }

        @Override
        public Router router() {
            return ctx.router();
        }

        @Override
        public Optional<ProxyProtocolData> proxyProtocolData() {
            return ctx.proxyProtocolData();
        }

        @Override
        public HelidonSocket serverSocket() {
            return ctx.serverSocket();
        }

        @Override
        public PeerInfo remotePeer() {
            return ctx.remotePeer();
        }

        @Override
        public PeerInfo localPeer() {
            return ctx.localPeer();
        }

        @Override
        public boolean isSecure() {
            return ctx.isSecure();
        }

        @Override
        public String socketId() {
            return ctx.socketId();
        }

        @Override
        public String childSocketId() {
            return ctx.childSocketId();
        }
    }
}
