package dev.tokenservice.token;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.common.parameters.Parameters;

/**
 * The form parameters of a token request, checked as RFC 6749 §3.2 asks: a parameter sent without a value counts
 * as omitted, and a parameter sent more than once makes the request invalid.
 */
public final class TokenRequest {
    private final Map<String, String> parameters;

    private TokenRequest(Map<String, String> parameters) {
        this.parameters = parameters;
    }

    /**
     * Reads the parameters.
     *
     * @param form decoded form
     * @return request
     * @throws OAuthError {@code invalid_request} when a parameter is repeated
     */
    public static TokenRequest of(Parameters form) {
        Map<String, String> parameters = new HashMap<>();
        for (String name : form.names()) {
            List<String> values = form.all(name);
            if (values.size() > 1) {
                throw OAuthError.invalidRequest("Parameter '" + name + "' is sent more than once");
            }
            if (values.size() == 1 && !values.getFirst().isEmpty()) {
                parameters.put(name, values.getFirst());
            }
        }
        return new TokenRequest(parameters);
    }

    /**
     * A parameter that must be present.
     *
     * @param name parameter name
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

    /**
     * An optional parameter.
     *
     * @param name parameter name
     * @return value, never empty
     */
    public Optional<String> optional(String name) {
        return Optional.ofNullable(parameters.get(name));
    }
}
