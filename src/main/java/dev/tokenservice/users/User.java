package dev.tokenservice.users;

import java.util.Optional;
import java.util.Set;

/**
 * A user who can log in with the password grant.
 *
 * @param username     unique login name, also the {@code sub} claim of the user's tokens
 * @param fullName     display name
 * @param email        e-mail address, may be {@code null}
 * @param passwordHash bcrypt hash of the password
 * @param disabled     a disabled user can neither log in nor use tokens issued before
 * @param scopes       the scopes this user may be granted
 */
public record User(String username, String fullName, String email, String passwordHash, boolean disabled,
                   Set<String> scopes) {
    /**
     * No username starts with this: where an answer names either a user or a client (the owner of an item), a
     * client is written {@code client:<client id>}, so that no user can be mistaken for a client there.
     */
    public static final String CLIENT_PREFIX = "client:";

    public User {
        scopes = Set.copyOf(scopes);
    }

    /** The e-mail address, when one is configured. */
    public Optional<String> emailAddress() {
        return Optional.ofNullable(email);
    }

    /**
     * Whether the user may log in and use tokens.
     *
     * @return {@code true} unless disabled
     */
    public boolean active() {
        return !disabled;
    }

    @Override
    public String toString() {
        // never print the hash
        return "User[" + username + "]";
    }
}
