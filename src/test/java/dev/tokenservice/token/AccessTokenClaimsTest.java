package dev.tokenservice.token;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * A protected route's scope check: whole space-delimited tokens of {@code scope} only (RFC 6749 §3.3).
 */
class AccessTokenClaimsTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "me items   | me     | true",
            "me items   | items  | true",
            "items me   | me     | true",
            "me         | me     | true",
            "meme items | me     | false",
            "items      | item   | false",
            "items      | tems   | false",
            "me items   | 'me i' | false",
            "some me    | me     | true",
            "'' | me | false",
    })
    void aScopeIsGrantedOnlyAsAWholeToken(String scope, String wanted, boolean granted) {
        AccessTokenClaims claims = new AccessTokenClaims("john.doe", "public-client", scope, Instant.EPOCH,
                                                         Instant.EPOCH, "issuer", List.of("api"), "jti", null,
                                                         false);
        assertThat(claims.hasScope(wanted), is(granted));
        assertThat(claims.hasScope(wanted), is(claims.scopes().contains(wanted)));
    }
}
