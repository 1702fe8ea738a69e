package dev.tokenservice.endpoint;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.tokenservice.oauth.OAuthError;
import dev.tokenservice.oauth.TokenRequest;
import dev.tokenservice.web.FormBody;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.ServerRequest;

/** Reads the form of a request to the token, revocation (RFC 7009 §2.1) or introspection (RFC 7662 §2.1) endpoint. */
final class FormRequests {
    private FormRequests() {
    }

    /**
     * Reads the form of a request.
     *
     * @param clientAddress the address the request comes from, for login throttling
     * @throws OAuthError {@code invalid_request} when the body is not a valid form or a parameter is repeated
     */
    static TokenRequest read(ServerRequest req, String clientAddress) {
        boolean form = req.headers().contentType()
                .map(HttpMediaType::mediaType)
                .filter(MediaTypes.APPLICATION_FORM_URLENCODED::equals)
                .isPresent();
        if (!form) {
            throw OAuthError.invalidRequest("The request must be sent as application/x-www-form-urlencoded");
        }
        if (!req.content().hasEntity()) {
            throw OAuthError.invalidRequest("The request has no form body");
        }
        String body;
        try {
            body = new String(req.content().as(byte[].class), StandardCharsets.ISO_8859_1);
        } catch (RuntimeException e) {
            // a broken chunk or a body cut short: Helidon throws several kinds of exceptions for these
            throw OAuthError.unreadableBody("The request body could not be read");
        }
        Map<String, List<String>> parameters = FormBody.parse(body).orElseThrow(() -> OAuthError.invalidRequest(
                "The form body is not valid application/x-www-form-urlencoded"));
        return TokenRequest.of(parameters, clientAddress);
    }

}
