package dev.tokenservice.oauth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.http.ServerRequestHeaders;

/**
 * The client credentials of a token request (RFC 6749 §2.3.1): HTTP Basic, or {@code client_id} and
 * {@code client_secret} in the body, never both.
 *
 * @param clientId the client id, empty when none was sent
 * @param secret   the client secret, empty when none was sent
 * @param basic    whether they came in an {@code Authorization: Basic} header
 */
public record ClientCredentials(String clientId, String secret, boolean basic) {
    /**
     * Reads the credentials.
     *
     * @return credentials, empty parts where nothing was sent
     * @throws OAuthError {@code invalid_client} for a malformed header, {@code invalid_request} when both ways
     *                    are used
     */
    public static ClientCredentials read(ServerRequestHeaders headers, TokenRequest request) {
        Optional<String> authorization = headers.first(HeaderNames.AUTHORIZATION);
        Optional<String> bodyId = request.optional("client_id");
        Optional<String> bodySecret = request.optional("client_secret");
        if (authorization.isEmpty()) {
            return new ClientCredentials(bodyId.orElse(""), bodySecret.orElse(""), false);
        }
        ClientCredentials basic = parseBasic(authorization.get());
        if (bodySecret.isPresent()) {
            throw OAuthError.invalidRequest("Client credentials are sent both in the Authorization header and in"
                                                    + " the body; use one");
        }
        if (bodyId.isPresent() && !basic.clientId().isEmpty() && !bodyId.get().equals(basic.clientId())) {
            throw OAuthError.invalidRequest("client_id in the body differs from the one in the Authorization"
                                                    + " header");
        }
        return basic.clientId().isEmpty() && bodyId.isPresent()
                ? new ClientCredentials(bodyId.get(), basic.secret(), true)
                : basic;
    }

    private static ClientCredentials parseBasic(String authorization) {
        int space = authorization.indexOf(' ');
        if (space < 0 || !authorization.substring(0, space).equalsIgnoreCase("Basic")) {
            throw OAuthError.invalidClient("The token endpoint accepts only Basic client authentication");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(space + 1).strip()),
                                 StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidClient("The Basic credentials are not valid base64");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw OAuthError.invalidClient("The Basic credentials have no ':' between client id and secret");
        }
        try {
            // §2.3.1: id and secret are form-urlencoded before they are put into the header
            return new ClientCredentials(URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                                         URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8),
                                         true);
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidClient("The Basic credentials are not form-urlencoded");
        }
    }

    /**
     * Whether the request sent no client credentials at all (also {@code Authorization: Basic Og==}).
     *
     * @return {@code true} when both id and secret are empty
     */
    public boolean none() {
        return clientId.isEmpty() && secret.isEmpty();
    }

    @Override
    public String toString() {
        return "ClientCredentials[" + clientId + "]";
    }
}
