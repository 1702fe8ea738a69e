package dev.tokenservice.clients;

import java.util.Set;

/**
 * An OAuth2 client (RFC 6749 §2): an application that asks for tokens on behalf of users.
 *
 * @param id         the {@code client_id}
 * @param type       public (no secret: a browser or mobile app) or confidential (with a secret)
 * @param secretHash hash of the secret of a confidential client ({@code sha256:...} or bcrypt, see
 *                   {@link ClientSecrets}), {@code null} for a public one
 * @param grantTypes the grant types it may use at the token endpoint
 * @param scopes     the scopes it may obtain for a user
 * @param demo       a demo client whose secret is public
 */
public record Client(String id, Type type, String secretHash, Set<String> grantTypes, Set<String> scopes,
                     boolean demo) {
    public Client {
        grantTypes = Set.copyOf(grantTypes);
        scopes = Set.copyOf(scopes);
    }

    /**
     * Whether the client holds a secret (RFC 6749 §2.1).
     *
     * @return {@code true} for a confidential client
     */
    public boolean confidential() {
        return type == Type.CONFIDENTIAL;
    }

    /**
     * Whether the client may use a grant type.
     *
     * @param grantType a {@code grant_type} value
     */
    public boolean allows(String grantType) {
        return grantTypes.contains(grantType);
    }

    @Override
    public String toString() {
        // never print the hash
        return "Client[" + id + "]";
    }

    /** Client types, RFC 6749 §2.1. */
    public enum Type {
        /** Cannot keep a secret; identified by its id alone. */
        PUBLIC,
        /** Authenticates with a secret. */
        CONFIDENTIAL
    }
}
