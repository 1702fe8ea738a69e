package dev.tokenservice.bench;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * Mints distinct access tokens for {@code bash .ci/bench tokens}: a few password logins of the demo user, then
 * refresh grants on each login's chain, so that only the logins cost a bcrypt check. The server must let a session
 * keep that many access tokens live ({@code app.refresh-token.max-access-tokens-per-session}).
 * <p>
 * {@code java ... TokenMint <base URL> <count> <file>}: writes the tokens to the file, one a line.
 */
public final class TokenMint {
    private static final int CHAINS = 8;

    private TokenMint() {
    }

    /**
     * Mints the tokens.
     *
     * @param args base URL, count, output file
     * @throws Exception when a grant fails
     */
    public static void main(String[] args) throws Exception {
        URI token = URI.create(args[0] + "/token");
        int count = Integer.parseInt(args[1]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // the logins one after the other: at once, some would meet the bcrypt bulkhead's 503
        List<JsonObject> logins = new ArrayList<>();
        for (int chain = 0; chain < CHAINS; chain++) {
            logins.add(post(client, token, "grant_type=password&username=john.doe&password=securepassword"));
        }
        List<Future<List<String>>> chains = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int chain = 0; chain < CHAINS; chain++) {
                int size = count / CHAINS + (chain < count % CHAINS ? 1 : 0);
                JsonObject login = logins.get(chain);
                chains.add(executor.submit(() -> chain(client, token, login, size)));
            }
        }
        List<String> tokens = new ArrayList<>();
        for (Future<List<String>> chain : chains) {
            tokens.addAll(chain.get());
        }
        // interleaved, so that the first n of the file come from every chain alike
        Collections.shuffle(tokens, new java.util.Random(42));
        Files.write(Path.of(args[2]), tokens);
        System.out.println(tokens.size() + " distinct access tokens in " + args[2]);
    }

    private static List<String> chain(HttpClient client, URI token, JsonObject login, int size)
            throws IOException, InterruptedException {
        List<String> tokens = new ArrayList<>();
        JsonObject answer = login;
        while (tokens.size() < size) {
            tokens.add(answer.getString("access_token"));
            answer = post(client, token, "grant_type=refresh_token&refresh_token="
                    + URLEncoder.encode(answer.getString("refresh_token"), StandardCharsets.UTF_8));
        }
        return tokens;
    }

    private static JsonObject post(HttpClient client, URI token, String form) throws IOException,
            InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(token)
                                                            .header("Content-Type",
                                                                    "application/x-www-form-urlencoded")
                                                            .POST(HttpRequest.BodyPublishers.ofString(form))
                                                            .build(),
                                                    HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("POST /token answered " + response.statusCode() + ": "
                                                    + response.body());
        }
        return Json.createReader(new StringReader(response.body())).readObject();
    }
}
