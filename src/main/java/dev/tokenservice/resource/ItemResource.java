package dev.tokenservice.resource;

import java.util.regex.Pattern;

import dev.tokenservice.web.ErrorHandling;
import dev.tokenservice.web.JsonErrors;

import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /items/{item_id}}: an item owned by the caller, needs scope {@code items}. The id is a positive
 * 32-bit integer. The caller is a user, or a client with a token of its own (client credentials grant), whose
 * {@code owner} then reads {@code client:<client id>}.
 * <p>
 * {@code curl -H "Authorization: Bearer $TOKEN" http://localhost:8080/items/42}
 */
public record ItemResource(BearerGuard guard) implements HttpService {
    /** A plain decimal integer: no sign, no leading zero (so that one item has one URL). */
    private static final Pattern DIGITS = Pattern.compile("[1-9][0-9]{0,9}");

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{item_id}", guard.protectForUsersAndClients("items", this::item))
                .any("/{item_id}", ErrorHandling.methodNotAllowed(Method.GET));
    }

    private void item(ServerRequest req, ServerResponse res) {
        String raw = req.path().pathParameters().get("item_id");
        long id = DIGITS.matcher(raw).matches() ? Long.parseLong(raw) : -1;
        if (id < 1 || id > Integer.MAX_VALUE) {
            JsonErrors.send(res, Status.BAD_REQUEST_400, "invalid_item_id",
                            "item_id must be a plain decimal integer from 1 to " + Integer.MAX_VALUE);
            return;
        }
        res.send(JsonErrors.JSON.createObjectBuilder()
                         .add("item_id", id)
                         .add("owner", BearerGuard.caller(req))
                         .build());
    }
}
