package dev.tokenservice;

import java.util.Map;

import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * {@code app.token.type: JWT} issues {@code typ: JWT} for verifiers that refuse {@code at+jwt}, and those tokens
 * work on the protected routes.
 */
class TokenTypeTest {
    @Test
    void typeJwtForOldVerifiers() throws Exception {
        try (TestApp.Running running = TestApp.start(TestApp.create(Map.of("app.token.type", "JWT")).server())) {
            String token = TestApp.token(running.client(), "alice", "alice-password");
            assertThat(SignedJWT.parse(token).getHeader().getType().getType(), is("JWT"));
            assertThat(TestApp.usersMe(running.client(), token), is(200));
        }
    }
}
