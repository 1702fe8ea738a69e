package dev.tokenservice;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * Sends bytes exactly as given over a {@link Socket}, for requests no HTTP client would send, and reads what comes
 * back until the server closes the connection or stays silent for a while.
 */
public final class RawHttp {
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3}) [^\\r\\n]*\\r\\n");

    private RawHttp() {
    }

    /**
     * Sends a request and reads every answer.
     *
     * @param port    server port on localhost
     * @param request the bytes to send, as ISO-8859-1 text
     * @param silence how long a silent open connection is waited on, in milliseconds
     * @return what came back
     */
    public static Exchange send(int port, String request, int silence) {
        return exchange(port, request, silence, false);
    }

    /**
     * Sends a request and reads until one whole response has come, the connection closes, or the server stays
     * silent for {@code silence} milliseconds: quick, for many requests in a row.
     *
     * @param port    server port on localhost
     * @param request the bytes to send, as ISO-8859-1 text
     * @param silence how long a silent connection is waited on, in milliseconds
     * @return what came back; {@code closed} is {@code false} also when reading stopped after the response
     */
    public static Exchange first(int port, String request, int silence) {
        return exchange(port, request, silence, true);
    }

    /**
     * Sends a request over a socket already connected (a TLS one, say), reads every answer, and closes it.
     *
     * @param connected the socket
     * @param request   the bytes to send, as ISO-8859-1 text
     * @param silence   how long a silent open connection is waited on, in milliseconds
     * @return what came back
     */
    public static Exchange send(Socket connected, String request, int silence) {
        return exchange(connected, request, silence, false);
    }

    private static Exchange exchange(int port, String request, int silence, boolean firstOnly) {
        try {
            return exchange(new Socket("localhost", port), request, silence, firstOnly);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Exchange exchange(Socket connected, String request, int silence, boolean firstOnly) {
        try (Socket socket = connected) {
            socket.setSoTimeout(silence);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            boolean closed = false;
            long started = System.nanoTime();
            while (true) {
                int read;
                try {
                    read = in.read(buffer);
                } catch (SocketTimeoutException e) {
                    break;
                } catch (IOException e) {
                    // reset by the server
                    closed = true;
                    break;
                }
                if (read < 0) {
                    closed = true;
                    break;
                }
                received.write(buffer, 0, read);
                if (firstOnly && complete(new Exchange(received.toString(StandardCharsets.ISO_8859_1), false, 0))) {
                    break;
                }
            }
            return new Exchange(received.toString(StandardCharsets.ISO_8859_1), closed,
                                (System.nanoTime() - started) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean complete(Exchange exchange) {
        try {
            List<Response> responses = exchange.responses();
            if (responses.isEmpty()) {
                return false;
            }
            Response response = responses.getFirst();
            String length = response.headers().get("content-length");
            return length == null || response.body().length() >= Integer.parseInt(length);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Sends a request, waiting up to two seconds on a silent connection.
     *
     * @param port    server port
     * @param request request bytes as ISO-8859-1 text
     * @return what came back
     */
    public static Exchange send(int port, String request) {
        return send(port, request, 2000);
    }

    /**
     * What came back for a request.
     *
     * @param raw       every byte received
     * @param closed    whether the server closed the connection (else it stayed open and silent)
     * @param millis    how long until the close or the silence
     */
    public record Exchange(String raw, boolean closed, long millis) {
        /**
         * The responses, in order.
         *
         * @return responses
         */
        public List<Response> responses() {
            List<Response> responses = new ArrayList<>();
            int at = 0;
            while (at < raw.length()) {
                Matcher status = STATUS_LINE.matcher(raw);
                if (!status.find(at) || status.start() != at) {
                    break;
                }
                int headersEnd = raw.indexOf("\r\n\r\n", status.end());
                if (headersEnd < 0) {
                    break;
                }
                Map<String, String> headers = new LinkedHashMap<>();
                for (String line : raw.substring(status.end(), headersEnd).split("\r\n")) {
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        headers.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
                    }
                }
                int bodyStart = headersEnd + 4;
                int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
                String body;
                if ("chunked".equals(headers.get("transfer-encoding"))) {
                    StringBuilder decoded = new StringBuilder();
                    int cursor = bodyStart;
                    while (true) {
                        int lineEnd = raw.indexOf("\r\n", cursor);
                        int size = Integer.parseInt(raw.substring(cursor, lineEnd).strip(), 16);
                        cursor = lineEnd + 2;
                        if (size == 0) {
                            cursor += 2;
                            break;
                        }
                        decoded.append(raw, cursor, cursor + size);
                        cursor += size + 2;
                    }
                    body = decoded.toString();
                    at = cursor;
                } else {
                    body = raw.substring(bodyStart, Math.min(raw.length(), bodyStart + length));
                    at = bodyStart + length;
                }
                responses.add(new Response(Integer.parseInt(status.group(1)), headers, body));
            }
            return responses;
        }

        /**
         * The only response.
         *
         * @return the response
         * @throws AssertionError when there is none or more than one
         */
        public Response only() {
            List<Response> responses = responses();
            if (responses.size() != 1) {
                throw new AssertionError("expected one response, got " + responses.size() + ": " + raw);
            }
            return responses.getFirst();
        }
    }

    /**
     * One response.
     *
     * @param status  status code
     * @param headers headers, names in lower case
     * @param body    body text
     */
    public record Response(int status, Map<String, String> headers, String body) {
        /**
         * The body as a JSON object.
         *
         * @return the object, empty when the body is not one
         */
        public Optional<JsonObject> json() {
            try (var reader = Json.createReader(new StringReader(body))) {
                return Optional.of(reader.readObject());
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }

        /**
         * The {@code error} of a JSON error body.
         *
         * @return error code, or {@code null}
         */
        public String error() {
            return json().map(object -> object.getString("error", null)).orElse(null);
        }
    }
}
