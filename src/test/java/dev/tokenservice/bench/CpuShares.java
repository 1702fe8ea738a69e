package dev.tokenservice.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

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
        return List.of(
                new Part("HTTP/1 connection: request line, headers, routing, response",
                         "io.helidon.webserver.http1.Http1Connection.handle", false),
                new Part("  filters and routing (everything below)", "io.helidon.webserver.http.HttpRoutingImpl.route",
                         false),
                new Part("    connections take turns (TakeTurns, its own work)", "dev.tokenservice.web.TakeTurns.filter",
                         true),
                new Part("    access log, request side (its own work)", "dev.tokenservice.ops.AccessLog.filter", true),
                new Part("    Helidon's request metrics (its own work)", "io.helidon.webserver.observe.metrics.", true),
                new Part("    the route's guard (BearerGuard)", "dev.tokenservice.resource.BearerGuard.admits", false),
                new Part("      the request's security context, made and authenticated (BearerAuthentication)",
                         "dev.tokenservice.resource.BearerAuthentication.authenticate", false),
                new Part("        making the context and its environment",
                         "dev.tokenservice.resource.BearerAuthentication.context", false),
                new Part("        Helidon Security's audit of the authentication (a stack walk)",
                         "io.helidon.security.SecurityImpl.audit", false),
                new Part("        the provider (AccessTokenProvider)",
                         "dev.tokenservice.resource.AccessTokenProvider.authenticate", false),
                new Part("          the verified tokens kept (AuthenticatedTokens)",
                         "dev.tokenservice.resource.AuthenticatedTokens.", false),
                new Part("          the rule's token checks: form, signature, claims (a token not kept)",
                         "dev.tokenservice.token.AccessTokenVerifier.signedClaims", false),
                new Part("            the signature", "io.helidon.security.jwt.jwk.Jwk.verifySignature", false),
                new Part("          the rule's checks of every use: time, revocation, user",
                         "dev.tokenservice.token.AccessTokenVerifier.stillValid", false),
                new Part("          Helidon's JWT provider: the subject (a token not kept)",
                         "io.helidon.security.providers.jwt.JwtProvider.authenticate", false),
                new Part("    the route's handler (GET /users/me)", "dev.tokenservice.resource.UserResource.me", false),
                new Part("    response writing", "io.helidon.webserver.http1.Http1ServerResponse.send", false),
                new Part("access log writer thread", "dev.tokenservice.ops.AccessLog.write", false));
    }

    /**
     * A part of the path.
     *
     * @param label  what it is
     * @param method the class and method name (or a prefix of them) whose presence on a stack counts for it
     * @param filter whether it is a filter, whose share leaves out the rest of the chain it calls
     */
    private record Part(String label, String method, boolean filter) {
        /** A filter calls the rest of the chain through this: that is not the filter's own work. */
        private static final String CHAIN = "io.helidon.webserver.http.Filters$FilterChainImpl.proceed";

        boolean holds(RecordedEvent sample) {
            List<RecordedFrame> frames = sample.getStackTrace().getFrames();
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
