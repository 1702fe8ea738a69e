package dev.tokenservice;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * Connections take turns ({@link dev.tokenservice.web.TakeTurns}): a connection whose next requests are always
 * already buffered (here: pipelined) must not keep its carrier thread while another connection waits. Without
 * the yield, a request on a quiet connection waits until one of the busy connections has nothing left to read.
 */
class TakeTurnsTest {
    /** Pipelined requests per busy connection: far more work than one request of the quiet connection. */
    private static final int PIPELINED = 30_000;
    private static final byte[] REQUEST = ("GET /.well-known/jwks.json HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private final Logger access = Logger.getLogger("access");
    private Level accessLevel;

    @BeforeEach
    void quietAccessLog() {
        // the console handler's lock would make busy connections block now and then, hiding what is tested
        accessLevel = access.getLevel();
        access.setLevel(Level.OFF);
    }

    @AfterEach
    void restoreAccessLog() {
        access.setLevel(accessLevel);
    }

    @Test
    void aQuietConnectionIsServedWhileBusyOnesHaveRequestsBuffered() throws Exception {
        try (TestApp.Running running = TestApp.start(TestApp.create(Map.of()).server());
                Socket quiet = new Socket("127.0.0.1", running.server().port())) {
            int port = running.server().port();
            // connected and served once, so that only the scheduling is measured below; all answers are this long
            int answerLength = exchange(quiet);
            // one busy connection per carrier thread, and one more
            int busy = Runtime.getRuntime().availableProcessors() + 1;
            CountDownLatch answering = new CountDownLatch(busy);
            List<AtomicLong> received = new ArrayList<>();
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < busy; i++) {
                    Socket socket = new Socket("127.0.0.1", port);
                    AtomicLong bytes = new AtomicLong();
                    sockets.add(socket);
                    received.add(bytes);
                    Thread.ofPlatform().daemon().start(() -> pipeline(socket));
                    Thread.ofPlatform().daemon().start(() -> drain(socket, bytes, answering));
                }
                assertThat("the busy connections are answered", answering.await(60, TimeUnit.SECONDS), is(true));
                exchange(quiet);
                long mostAnswered = received.stream().mapToLong(AtomicLong::get).max().orElseThrow() / answerLength;
                System.out.println("TakeTurnsTest: the quiet request was answered when the busiest of " + busy
                                           + " connections had " + mostAnswered + " answers of " + PIPELINED);
                // with turns, the quiet request waits for about one request of each busy connection; without, until
                // a busy connection has nothing left to read, here after all its requests
                assertThat("answers of the busiest connection when the quiet one was answered", mostAnswered,
                           lessThan(PIPELINED * 9L / 10));
            } finally {
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
        }
    }

    /** Sends one request and reads its answer; returns the answer's length in bytes. */
    private static int exchange(Socket socket) throws IOException {
        socket.getOutputStream().write(REQUEST);
        socket.getOutputStream().flush();
        // the answer of one request: read until the body (a JSON object) has been closed
        InputStream in = socket.getInputStream();
        StringBuilder seen = new StringBuilder();
        int b;
        while ((b = in.read()) != -1) {
            seen.append((char) b);
            if (b == '}' && seen.indexOf("\r\n\r\n") > 0 && balanced(seen.substring(seen.indexOf("\r\n\r\n")))) {
                return seen.length();
            }
        }
        throw new IOException("connection closed");
    }

    private static boolean balanced(String body) {
        int depth = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            depth += c == '{' ? 1 : c == '}' ? -1 : 0;
        }
        return depth == 0 && body.indexOf('{') >= 0;
    }

    private static void pipeline(Socket socket) {
        try {
            OutputStream out = socket.getOutputStream();
            byte[] batch = new byte[REQUEST.length * 100];
            for (int i = 0; i < 100; i++) {
                System.arraycopy(REQUEST, 0, batch, i * REQUEST.length, REQUEST.length);
            }
            for (int i = 0; i < PIPELINED / 100 - 1; i++) {
                out.write(batch);
            }
            for (int i = 0; i < 100; i++) {
                out.write(REQUEST);
            }
            out.flush();
        } catch (IOException ignored) {
            // the test closed the socket
        }
    }

    private static void drain(Socket socket, AtomicLong bytes, CountDownLatch answering) {
        byte[] buffer = new byte[64 * 1024];
        try {
            InputStream in = socket.getInputStream();
            int read;
            while ((read = in.read(buffer)) != -1) {
                if (bytes.getAndAdd(read) == 0) {
                    answering.countDown();
                }
            }
        } catch (IOException ignored) {
            // the test closed the socket
        }
    }
}
