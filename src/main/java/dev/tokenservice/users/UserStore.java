package dev.tokenservice.users;

import java.util.Optional;

/**
 * Where users are looked up. The configuration-backed store is the only one today; a database-backed one
 * can implement this without touching the grants or the protected routes.
 */
public interface UserStore {
    /**
     * Finds a user by username (exact, case-sensitive match).
     *
     * @return the user, disabled or not, if it exists
     */
    Optional<User> find(String username);
}
