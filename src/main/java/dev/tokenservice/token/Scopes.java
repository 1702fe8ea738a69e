package dev.tokenservice.token;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.tokenservice.oauth.OAuthError;

import io.helidon.config.Config;

/**
 * The scopes the service defines ({@code app.scopes}: name to description), and the parsing of a requested
 * {@code scope} parameter (RFC 6749 §3.3).
 */
public final class Scopes {
    /** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

    private final Map<String, String> descriptions;

    private Scopes(Map<String, String> descriptions) {
        this.descriptions = Collections.unmodifiableMap(descriptions);
    }

    /**
     * Reads {@code app.scopes}.
     *
     * @param config the {@code app.scopes} node
     */
    public static Scopes create(Config config) {
        Map<String, String> descriptions = new LinkedHashMap<>();
        config.asNodeList().orElseThrow(() -> new IllegalStateException("app.scopes defines no scope"))
                .forEach(node -> descriptions.put(node.name(), node.asString().orElse(node.name())));
        descriptions.keySet().forEach(name -> {
            if (!SCOPE_TOKEN.matcher(name).matches()) {
                throw new IllegalStateException("Scope '" + name + "' in app.scopes is not a valid RFC 6749 scope");
            }
        });
        return new Scopes(descriptions);
    }

    /** Scope names with their descriptions, in configuration order. */
    public Map<String, String> descriptions() {
        return descriptions;
    }

    /** Scope names. */
    public Set<String> names() {
        return descriptions.keySet();
    }

    /**
     * Parses a requested scope: space-delimited, in any order, each defined by the service.
     *
     * @param scope the {@code scope} parameter
     * @throws OAuthError {@code invalid_scope} for a malformed or unknown scope
     */
    public Set<String> parse(String scope) {
        Set<String> requested = new LinkedHashSet<>();
        for (String token : scope.split(" ")) {
            if (token.isEmpty()) {
                continue;
            }
            if (!SCOPE_TOKEN.matcher(token).matches() || !descriptions.containsKey(token)) {
                throw OAuthError.invalidScope("Unknown scope '" + ascii(token) + "'; defined scopes: "
                                                      + String.join(" ", descriptions.keySet()));
            }
            requested.add(token);
        }
        return requested;
    }

    /**
     * The one scope policy of the grants (RFC 6749 §3.3): the scopes asked for, or when none are the default, kept
     * to those every party may have (the user, the client, a refresh token's family); asking for scopes of which
     * none is allowed is {@code invalid_scope}, while asking for none may leave none.
     *
     * @param scopeParameter the request's {@code scope} parameter, if any
     * @param whenNone       what is granted when none is asked for
     * @param allowed        what each party may have
     * @return the scopes granted, in the order asked
     * @throws OAuthError {@code invalid_scope} for a malformed or unknown scope, or when none asked is allowed
     */
    @SafeVarargs
    public final Set<String> grant(Optional<String> scopeParameter, Set<String> whenNone, Set<String>... allowed) {
        Set<String> requested = scopeParameter.map(this::parse).orElse(Set.of());
        Set<String> granted = new LinkedHashSet<>(requested.isEmpty() ? whenNone : requested);
        for (Set<String> party : allowed) {
            granted.retainAll(party);
        }
        if (!requested.isEmpty() && granted.isEmpty()) {
            throw OAuthError.invalidScope("None of the requested scopes is allowed to this client, user or session");
        }
        return granted;
    }

    /** Formats scopes as the space-delimited list RFC 6749 §3.3 uses, in configuration order. */
    public String format(Set<String> scopes) {
        return String.join(" ", descriptions.keySet().stream().filter(scopes::contains).toList());
    }

    private static String ascii(String text) {
        // error_description must be ASCII (RFC 6749 §5.2): never echo anything else
        String printable = text.replaceAll("[^\\x20-\\x7E]", "?");
        return printable.length() <= 40 ? printable : printable.substring(0, 40) + "...";
    }
}
