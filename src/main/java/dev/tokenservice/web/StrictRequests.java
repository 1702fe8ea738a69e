package dev.tokenservice.web;

import java.util.List;
import java.util.regex.Pattern;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * One request, one meaning: refuses, before any route runs, a request that a proxy in front of this service could
 * read differently than Helidon does, with 400 {@code invalid_request} and a JSON body.
 * <ul>
 *     <li>Framing (RFC 9112 §6.1, §6.3): {@code Transfer-Encoding} other than exactly one {@code chunked} (Helidon
 *     4.3.0 reads only that exact value as chunked and any other as no body at all, so the body would be read as
 *     the next request), {@code Transfer-Encoding} together with {@code Content-Length}, and a
 *     {@code Content-Length} that is not one plain decimal number ({@code -1}, {@code +61}, {@code 061},
 *     {@code 5, 5}, or two headers). These answers close the connection: what follows on it has no known
 *     start.</li>
 *     <li>A request target that is not a path (RFC 9112 §3.2.1 origin-form; {@code OPTIONS *} is not served
 *     here), or a path with {@code ;} parameters, which no route takes and which proxies and frameworks strip or
 *     keep differently.</li>
 *     <li>More than one {@code Authorization} header: a proxy may check one and this service use another.</li>
 * </ul>
 * A request with {@code Connection: close} gets its answer and then the connection is closed, so that nothing
 * sent after it on the same connection is answered (RFC 9112 §9.6).
 */
public final class StrictRequests implements Filter {
    /** RFC 9110 §8.6: Content-Length = 1*DIGIT; leading zeros and signs are refused as ambiguous. */
    private static final Pattern CONTENT_LENGTH = Pattern.compile("0|[1-9][0-9]{0,17}");

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        ServerRequestHeaders headers = req.headers();
        String framing = framingProblem(headers);
        if (framing != null) {
            res.header(HeaderNames.CONNECTION, "close");
            refuse(res, framing);
            ErrorHandling.closeConnection(res, "Request framing refused");
        }
        String problem = targetProblem(req.prologue().uriPath().rawPath());
        if (problem == null && values(headers, HeaderNames.AUTHORIZATION).size() > 1) {
            problem = "Send one Authorization header, not several";
        }
        if (problem != null) {
            refuse(res, problem);
            return;
        }
        boolean close = values(headers, HeaderNames.CONNECTION).stream()
                .flatMap(value -> List.of(value.split(",")).stream())
                .anyMatch(token -> token.strip().equalsIgnoreCase("close"));
        if (close) {
            res.header(HeaderNames.CONNECTION, "close");
        }
        chain.proceed();
        if (close) {
            ErrorHandling.closeConnection(res, "Connection: close");
        }
    }

    private static String framingProblem(ServerRequestHeaders headers) {
        List<String> transferEncoding = values(headers, HeaderNames.TRANSFER_ENCODING);
        List<String> contentLength = values(headers, HeaderNames.CONTENT_LENGTH);
        if (!transferEncoding.isEmpty()) {
            if (!transferEncoding.equals(List.of("chunked"))) {
                return "Transfer-Encoding must be exactly 'chunked'";
            }
            if (!contentLength.isEmpty()) {
                return "Send Content-Length or Transfer-Encoding, not both";
            }
        }
        if (!contentLength.isEmpty()
                && (contentLength.size() > 1 || !CONTENT_LENGTH.matcher(contentLength.getFirst()).matches())) {
            return "Content-Length must be one decimal number";
        }
        return null;
    }

    /**
     * What is wrong with a request target, as the raw path Helidon read from the request line.
     *
     * @return the problem, or {@code null} when the target is a plain path
     */
    static String targetProblem(String rawPath) {
        if (!rawPath.startsWith("/")) {
            return "The request target must be a path starting with '/'";
        }
        if (rawPath.indexOf(';') >= 0) {
            return "Path parameters (';') are not supported";
        }
        return null;
    }

    private static List<String> values(ServerRequestHeaders headers, HeaderName name) {
        return headers.contains(name) ? headers.get(name).allValues() : List.of();
    }

    private static void refuse(RoutingResponse res, String description) {
        JsonErrors.send(res, Status.BAD_REQUEST_400, "invalid_request", description);
        // a filter that does not proceed must have sent its answer: a JSON answer is buffered until committed
        res.commit();
    }
}
