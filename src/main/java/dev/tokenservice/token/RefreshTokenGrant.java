package dev.tokenservice.token;

import java.util.Optional;
import java.util.Set;

import dev.tokenservice.clients.Client;
import dev.tokenservice.events.EventTypes;
import dev.tokenservice.events.Reasons;
import dev.tokenservice.events.SecurityEvent;
import dev.tokenservice.events.SecurityEvents;
import dev.tokenservice.oauth.GrantTypes;
import dev.tokenservice.oauth.OAuthError;
import dev.tokenservice.oauth.TokenRequest;
import dev.tokenservice.store.AccessTokenId;
import dev.tokenservice.store.Redemption;
import dev.tokenservice.store.RefreshSession;
import dev.tokenservice.store.RefreshTokenStore;
import dev.tokenservice.users.User;
import dev.tokenservice.users.UserStore;

/**
 * The refresh token grant, RFC 6749 §6, with rotation: every refresh uses up the refresh token and returns a new
 * one with the new access token; a used token presented again revokes its family (RFC 9700 §4.14.2).
 * <p>
 * The access token's scope may be narrowed with {@code scope}, never widened. The family keeps the scope of the
 * login, so a later refresh without {@code scope} gets it all again (§6: the new refresh token's scope is the old
 * one's). Scopes the user or the client has lost since are left out, by the grants' one scope policy
 * ({@link Scopes#grant}): asking only for scopes the client may not have is {@code invalid_scope} before the token is
 * used; a user who has lost every scope asked for gets {@code invalid_scope}, and a user disabled or removed since
 * {@code invalid_grant}, and either way the family is revoked.
 */
public record RefreshTokenGrant(UserStore users, Scopes scopes, TokenService tokens, RefreshTokenStore refreshTokens,
                                SecurityEvents events) implements TokenGrant {
    private static final String INVALID = "The refresh token is invalid, expired or revoked, or was issued to"
            + " another client";

    /** A grant that reports no event. */
    public RefreshTokenGrant(UserStore users, Scopes scopes, TokenService tokens, RefreshTokenStore refreshTokens) {
        this(users, scopes, tokens, refreshTokens, SecurityEvents.NONE);
    }

    @Override
    public String grantType() {
        return GrantTypes.REFRESH_TOKEN;
    }

    @Override
    public TokenResponse grant(TokenRequest request, Client client) {
        String refreshToken = request.required("refresh_token");
        Set<String> requested = request.optional("scope").map(scopes::parse).orElse(Set.of());
        // what the client may not have is refused before the refresh token is used
        try {
            scopes.grant(request.optional("scope"), client.scopes(), client.scopes());
        } catch (OAuthError e) {
            events.emit(refusal(Reasons.INVALID_SCOPE, null, client, request).build());
            throw e;
        }
        AccessTokenId id = tokens.newId();
        // one store operation, one transaction: rotation and the record of the new access token
        return switch (refreshTokens.redeem(refreshToken, client.id(), requested, id)) {
            case Redemption.Rotated rotated -> issue(rotated, id, request, client);
            case Redemption.Refused refused -> throw refused(refused, client, request);
        };
    }

    private OAuthError refused(Redemption.Refused refused, Client client, TokenRequest request) {
        String reason = switch (refused.reason()) {
        case UNKNOWN -> Reasons.UNKNOWN;
        case REUSED -> Reasons.REUSED;
        case EXPIRED -> Reasons.EXPIRED;
        case OTHER_CLIENT -> Reasons.OTHER_CLIENT;
        case SCOPE_WIDENED -> Reasons.SCOPE_WIDENED;
        };
        events.emit(refusal(reason, refused.session(), client, request).build());
        if (refused.reason() == Redemption.Reason.REUSED && refused.session() != null) {
            // the store has revoked the family: one of two holders had a stolen copy
            events.emit(revocation(Reasons.REUSED, refused.session(), request).build());
        }
        return switch (refused.reason()) {
        case REUSED -> OAuthError.invalidGrant("The refresh token was used before: its session is revoked");
        case SCOPE_WIDENED -> OAuthError.invalidScope("The requested scope exceeds the scope granted at login");
        case UNKNOWN, EXPIRED, OTHER_CLIENT -> OAuthError.invalidGrant(INVALID);
        };
    }

    private static SecurityEvent.Builder refusal(String reason, RefreshSession session, Client client,
                                                 TokenRequest request) {
        SecurityEvent.Builder event = SecurityEvent.failure(EventTypes.REFRESH, reason).clientId(client.id())
                .address(request.clientAddress());
        return session == null ? event : event.username(session.username()).sessionId(session.familyId());
    }

    private static SecurityEvent.Builder revocation(String reason, RefreshSession session, TokenRequest request) {
        return SecurityEvent.success(EventTypes.REVOCATION).reason(reason).username(session.username())
                .clientId(session.clientId()).address(request.clientAddress()).sessionId(session.familyId());
    }

    private TokenResponse issue(Redemption.Rotated rotated, AccessTokenId id, TokenRequest request, Client client) {
        RefreshSession session = rotated.session();
        Optional<User> user = users.find(session.username()).filter(User::active);
        if (user.isEmpty()) {
            refreshTokens.revokeFamily(session.familyId());
            events.emit(refusal(Reasons.DISABLED_USER, session, client, request).build());
            events.emit(revocation(Reasons.DISABLED_USER, session, request).build());
            throw OAuthError.invalidGrant(INVALID);
        }
        Set<String> granted;
        try {
            // no scope asked means the login's, less what the user or the client has lost since
            granted = scopes.grant(request.optional("scope"), session.scopes(), user.get().scopes(), client.scopes());
        } catch (OAuthError e) {
            // the user has lost every scope asked for: the family ends, as for a disabled user
            refreshTokens.revokeFamily(session.familyId());
            events.emit(refusal(Reasons.INVALID_SCOPE, session, client, request).build());
            events.emit(revocation(Reasons.SCOPE_LOST, session, request).build());
            throw e;
        }
        TokenResponse response = new TokenResponse(tokens.issue(id, session.username(), client.id(), granted),
                                                   rotated.token());
        events.emit(SecurityEvent.success(EventTypes.REFRESH).username(session.username()).clientId(client.id())
                            .address(request.clientAddress()).sessionId(session.familyId()).jti(id.jti()).build());
        return response;
    }
}
