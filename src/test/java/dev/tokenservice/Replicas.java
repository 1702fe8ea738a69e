package dev.tokenservice;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;

import jakarta.json.JsonObject;

/**
 * Several instances of the service on one PostgreSQL database and one key set, as the replicas of a Deployment
 * behind a Service: each with its own server, stores and revocation mirror. Closing stops them all.
 */
public final class Replicas implements AutoCloseable {
    private final Map<String, String> config;
    private final List<TestApp.Running> instances = new ArrayList<>();

    private Replicas(Map<String, String> config) {
        this.config = config;
    }

    /**
     * Starts instances on a database.
     *
     * @param database {@code app.store} overrides from {@link TestDatabase#newDatabase()}
     * @param keyFile  the key set file they share
     * @param count    how many
     * @return the running instances
     */
    public static Replicas start(Map<String, String> database, Path keyFile, int count) {
        Map<String, String> config = new HashMap<>(database);
        config.put("app.keys.file", keyFile.toString());
        Replicas replicas = new Replicas(config);
        for (int i = 0; i < count; i++) {
            replicas.instances.add(TestApp.start(TestApp.create(config).server()));
        }
        return replicas;
    }

    /**
     * A client of one instance.
     *
     * @param index which
     * @return client
     */
    public Http1Client client(int index) {
        return instances.get(index).client();
    }

    /**
     * A new client of one instance, with connections of its own: for a thread of its own.
     *
     * @param index which
     * @return client
     */
    public Http1Client newClient(int index) {
        return TestApp.newClient("http://localhost:" + instances.get(index).server().port());
    }

    /**
     * The number of instances.
     *
     * @return count
     */
    public int size() {
        return instances.size();
    }

    @Override
    public void close() {
        instances.forEach(TestApp.Running::close);
    }

    /**
     * A password login of the default client.
     *
     * @param client   an instance
     * @param username user, whose password is {@code <username>-password}
     * @return the token response
     */
    public static JsonObject login(Http1Client client, String username) {
        try (Http1ClientResponse res = form(client, "/token", null,
                                            "grant_type=password&username=" + username + "&password=" + username
                                                    + "-password")) {
            if (res.status().code() != 200) {
                throw new IllegalStateException("login failed: " + res.status());
            }
            return res.as(JsonObject.class);
        }
    }

    /**
     * A token request.
     *
     * @param client an instance
     * @param body   the form
     * @return the answer
     */
    public static Answer answerOf(Http1Client client, String body) {
        return answer(form(client, "/token", null, body));
    }

    /**
     * A GET.
     *
     * @param client an instance
     * @param path   path
     * @return the answer
     */
    public static Answer get(Http1Client client, String path) {
        return answer(client.get(path).request());
    }

    /**
     * A refresh grant.
     *
     * @param client       an instance
     * @param refreshToken the refresh token
     * @return the answer: status and body
     */
    public static Answer refresh(Http1Client client, String refreshToken) {
        return answer(form(client, "/token", null, "grant_type=refresh_token&refresh_token=" + refreshToken));
    }

    /**
     * {@code POST /revoke} by the default client.
     *
     * @param client an instance
     * @param token  the token
     * @return the answer
     */
    public static Answer revoke(Http1Client client, String token) {
        return answer(form(client, "/revoke", null, "token=" + token));
    }

    /**
     * {@code POST /introspect} by the confidential test client {@code test-rs}.
     *
     * @param client an instance
     * @param token  the token
     * @return the answer
     */
    public static Answer introspect(Http1Client client, String token) {
        String basic = "Basic " + Base64.getEncoder().encodeToString("test-rs:rs-secret".getBytes());
        return answer(form(client, "/introspect", basic, "token=" + token));
    }

    /**
     * {@code POST /users/me/logout}.
     *
     * @param client      an instance
     * @param accessToken the caller's access token
     * @return the answer
     */
    public static Answer logout(Http1Client client, String accessToken) {
        return answer(client.post("/users/me/logout").header(HeaderNames.AUTHORIZATION, "Bearer " + accessToken)
                              .request());
    }

    /**
     * The status of {@code GET /users/me}.
     *
     * @param client      an instance
     * @param accessToken access token
     * @return status code
     */
    public static int usersMe(Http1Client client, String accessToken) {
        return TestApp.usersMe(client, accessToken);
    }

    private static Http1ClientResponse form(Http1Client client, String path, String authorization, String body) {
        var request = client.post(path).contentType(MediaTypes.APPLICATION_FORM_URLENCODED);
        if (authorization != null) {
            request.header(HeaderNames.AUTHORIZATION, authorization);
        }
        return request.submit(body);
    }

    private static Answer answer(Http1ClientResponse res) {
        try (res) {
            String retryAfter = res.headers().first(HeaderNames.RETRY_AFTER).orElse(null);
            String body = res.entity().hasEntity() ? res.as(String.class) : "";
            return new Answer(res.status().code(), body, retryAfter);
        }
    }

    /**
     * An answer.
     *
     * @param status     status code
     * @param body       body, empty if none
     * @param retryAfter the {@code Retry-After} header, or {@code null}
     */
    public record Answer(int status, String body, String retryAfter) {
        /**
         * The body as JSON.
         *
         * @return object
         */
        public JsonObject json() {
            return jakarta.json.Json.createReader(new java.io.StringReader(body)).readObject();
        }
    }
}
