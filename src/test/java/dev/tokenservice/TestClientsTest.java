package dev.tokenservice;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The clients of the tests ({@link TestApp#newClient(String)}) keep their kept-alive connections to themselves, so
 * that no connection passes from one test thread to another: Helidon 4.3.0's shared connection cache can then lose
 * the first byte of an answer ("Protocol is not HTTP: TTP", seen once in {@link OutageTest}), a client bug that
 * looks like a server sending broken answers.
 */
class TestClientsTest {
    private static WebServer server;

    @BeforeAll
    static void start() {
        // a server of its own, the connection's client port as the answer: which connection carried a request
        server = WebServer.builder()
                .port(0)
                .routing(routing -> routing.get("/peer", (req, res) -> res.send(
                        String.valueOf(req.remotePeer().port()))))
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void helidonsDefaultClientsShareOneConnection() {
        // why the tests need their own clients: two clients built alike go over the same connection
        Http1Client first = Http1Client.builder().baseUri(base()).build();
        Http1Client second = Http1Client.builder().baseUri(base()).build();
        assertThat(peer(second), is(peer(first)));
    }

    @Test
    void eachTestClientHasConnectionsOfItsOwn() {
        Http1Client first = TestApp.newClient(base());
        Http1Client second = TestApp.newClient(base());
        String port = peer(first);
        assertThat(peer(second), is(not(port)));
        // and each keeps its own alive
        assertThat(peer(first), is(port));
    }

    @Test
    void threadsWithAClientEachReadEveryAnswerWhole() throws Exception {
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    Http1Client client = TestApp.newClient(base());
                    String port = peer(client);
                    for (int i = 0; i < 2000; i++) {
                        // the same connection all along, every answer read from its first byte
                        assertThat(peer(client), is(port));
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static String base() {
        return "http://localhost:" + server.port();
    }

    private static String peer(Http1Client client) {
        return client.get("/peer").requestEntity(String.class);
    }
}
