package dev.tokenservice.oauth;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.common.parameters.Parameters;

/**
 * The form parameters of a token request, checked as RFC 6749 §3.2 asks: a parameter sent without a value counts
 * as omitted, and a parameter sent more than once, even once without a value, makes the request invalid. Revocation (RFC 7009 §2.1) and
 * introspection (RFC 7662 §2.1) requests are read the same way.
 */
public final class TokenRequest {
    private final Map<String, String> parameters;
    private final String clientAddress;

    private TokenRequest(Map<String, String> parameters, String clientAddress) {
        this.parameters = parameters;
        this.clientAddress = clientAddress;
    }

    /**
     * Reads the parameters.
     *
     * @throws OAuthError {@code invalid_request} when a parameter is repeated
     */
    public static TokenRequest of(Parameters form, String clientAddress) {
        Map<String, List<String>> all = new LinkedHashMap<>();
        form.names().forEach(name -> all.put(name, form.all(name)));
        return of(all, clientAddress);
    }

    /**
     * Reads the parameters.
     *
     * @param form          decoded form, each name with all its values
     * @throws OAuthError {@code invalid_request} when a parameter is repeated
     */
    public static TokenRequest of(Map<String, List<String>> form, String clientAddress) {
        Map<String, String> parameters = new HashMap<>();
        for (Map.Entry<String, List<String>> parameter : form.entrySet()) {
            String name = parameter.getKey();
            List<String> values = parameter.getValue();
            if (values.size() > 1) {
                throw OAuthError.invalidRequest("Parameter '" + name + "' is sent more than once");
            }
            if (values.size() == 1 && !values.getFirst().isEmpty()) {
                parameters.put(name, values.getFirst());
            }
        }
        return new TokenRequest(parameters, clientAddress);
    }

    /**
     * A parameter that must be present.
     *
     * @return value, never empty
     * @throws OAuthError {@code invalid_request} when missing or empty
     */
    public String required(String name) {
        String value = parameters.get(name);
        if (value == null) {
            throw OAuthError.invalidRequest("Parameter '" + name + "' is required");
        }
        return value;
    }

    /** The address the request comes from: the peer, or the client a trusted proxy names. */
    public String clientAddress() {
        return clientAddress;
    }

    /**
     * An optional parameter.
     *
     * @return value, never empty
     */
    public Optional<String> optional(String name) {
        return Optional.ofNullable(parameters.get(name));
    }
}
