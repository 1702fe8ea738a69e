package dev.tokenservice.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU of a protected request goes, from a JFR recording taken under load ({@code bash .ci/bench
 * profile}): for each part of the request's path, the share of the execution samples whose stack holds its method
 * (a part's share includes what it calls, so shares of nested parts overlap; a filter's share leaves out the rest of
 * the chain it calls).
 */
public final class CpuShares {
    private static final List<Part> PARTS = parts();

    private CpuShares() {
    }

    /**
     * Prints the shares.
     *
     * @param args the recording file
     * @throws IOException when it cannot be read
     */
    public static void main(String[] args) throws IOException {
        List<RecordedEvent> samples = RecordingFile.readAllEvents(Path.of(args[0])).stream()
                .filter(event -> event.getEventType().getName().equals("jdk.ExecutionSample"))
                .filter(event -> event.getStackTrace() != null)
                .toList();
        System.out.printf("%d execution samples of the server's threads%n", samples.size());
        for (Part part : PARTS) {
            long holding = samples.stream().filter(part::holds).count();
            System.out.printf("%5.1f%%  %s%n", 100.0 * holding / Math.max(1, samples.size()), part.label());
        }
    }

    private static List<Part> parts() {
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put("HTTP/1 connection: request line, headers, routing, response",
                  "io.helidon.webserver.http1.Http1Connection.handle");
        parts.put("  filters and routing (everything below)", "io.helidon.webserver.http.HttpRoutingImpl.route");
        parts.put("    Helidon's security handler (SecurityFeature.authenticate())",
                  "io.helidon.webserver.security.SecurityHandler.handle");
        parts.put("      its authentication client (providers, then an audit event)",
                  "io.helidon.security.AuthenticationClientImpl.authenticate");
        parts.put("        the audit event's caller lookup (a stack walk per request)",
                  "io.helidon.security.spi.AuditProvider$AuditSource.create");
        parts.put("        the service's provider (access token rule, cached subject)",
                  "dev.tokenservice.api.AccessTokenProvider.authenticate");
        parts.put("          the access token rule (cache hit: time, revocation, user checks)",
                  "dev.tokenservice.token.AccessTokenVerifier.check");
        parts.put("      security environment rebuilt for query parameters",
                  "io.helidon.webserver.security.SecurityHandler.extractQueryParams");
        parts.put("      security tracing spans (no tracer configured)",
                  "io.helidon.security.integration.common.SecurityTracing");
        parts.put("    the route's guard (BearerGuard: scope, client or user)", "dev.tokenservice.api.BearerGuard.check");
        parts.put("    the route's handler (GET /users/me)", "dev.tokenservice.api.UserResource.me");
        parts.put("    response writing", "io.helidon.webserver.http1.Http1ServerResponse.send");
        parts.put("  per-request security context (SecurityContextFilter, every route)",
                  "io.helidon.webserver.security.SecurityContextFilter.filter");
        parts.put("access log writer thread", "dev.tokenservice.ops.AccessLog.write");
        return parts.entrySet().stream().map(part -> new Part(part.getKey(), part.getValue())).toList();
    }

    /**
     * A part of the path.
     *
     * @param label  what it is
     * @param method the class and method name (or a prefix of them) whose presence on a stack counts for it
     */
    private record Part(String label, String method) {
        /** A filter calls the rest of the chain through this: that is not the filter's own work. */
        private static final String CHAIN = "io.helidon.webserver.http.Filters$FilterChainImpl.proceed";

        boolean holds(RecordedEvent sample) {
            List<RecordedFrame> frames = sample.getStackTrace().getFrames();
            boolean filter = method.endsWith("Filter.filter");
            // frames run from the innermost call outwards
            for (int i = 0; i < frames.size(); i++) {
                if (name(frames.get(i)).startsWith(method)) {
                    return !filter || frames.subList(0, i).stream().noneMatch(inner -> name(inner).equals(CHAIN));
                }
            }
            return false;
        }

        private static String name(RecordedFrame frame) {
            return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
        }
    }
}
