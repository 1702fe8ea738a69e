package dev.tokenservice.discovery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import dev.tokenservice.keys.PublicKeyRing;
import dev.tokenservice.keys.PublicKeys;
import dev.tokenservice.web.ErrorHandling;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /.well-known/jwks.json}: the public keys that verify our tokens (RFC 7517 §5), for resource servers.
 * Symmetric keys are never published, so with HS256 only the set is empty.
 * <p>
 * Clients may cache it for {@value #MAX_AGE_SECONDS} seconds and revalidate with the ETag; after a rotation a
 * token may carry a {@code kid} that a cached set does not hold yet, which is the sign to fetch it again.
 */
public final class JwksEndpoint implements HttpService {
    static final int MAX_AGE_SECONDS = 300;

    private final PublicKeyRing keys;
    private volatile Published published;

    /**
     * Creates the endpoint.
     *
     * @param keys the public keys of the key ring
     */
    public JwksEndpoint(PublicKeyRing keys) {
        this.keys = keys;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/jwks.json", this::jwks)
                .any("/jwks.json", ErrorHandling.methodNotAllowed(Method.GET));
    }

    private void jwks(ServerRequest req, ServerResponse res) {
        Published current = published(keys.current());
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=" + MAX_AGE_SECONDS);
        res.header(HeaderNames.ETAG, current.etag());
        boolean unchanged = req.headers().first(HeaderNames.IF_NONE_MATCH)
                .map(tags -> tags.contains(current.etag()))
                .orElse(false);
        if (unchanged) {
            res.status(Status.NOT_MODIFIED_304).send();
        } else {
            res.header(HeaderNames.CONTENT_TYPE, "application/jwk-set+json");
            res.send(current.json());
        }
    }

    private Published published(PublicKeys keySet) {
        Published current = published;
        if (current == null || current.keySet() != keySet) {
            String json = keySet.jwks().toString();
            current = new Published(keySet, json.getBytes(StandardCharsets.UTF_8), etag(json));
            published = current;
        }
        return current;
    }

    private static String etag(String json) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Published(PublicKeys keySet, byte[] json, String etag) {
    }
}
