package dev.tokenservice.ops;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * The access log's output: lines go out in writes of whole lines of at most {@code PIPE_BUF} bytes, so that other
 * writers to the same output cannot land inside a line, and nothing waits past a flush.
 */
class AccessLogHandlerTest {
    /** Each write the handler made. */
    private final List<String> writes = new ArrayList<>();
    private final AccessLogHandler handler = new AccessLogHandler(new ByteArrayOutputStream() {
        @Override
        public void write(byte[] bytes, int offset, int length) {
            writes.add(new String(bytes, offset, length, StandardCharsets.UTF_8));
        }
    });

    @Test
    void linesWaitForAFlushAndGoOutWhole() {
        handler.publish(new LogRecord(Level.INFO, "first line"));
        handler.publish(new LogRecord(Level.INFO, "second line é"));
        assertThat(writes, is(empty()));
        handler.flush();
        assertThat(writes, is(List.of("first line" + System.lineSeparator() + "second line é"
                                              + System.lineSeparator())));
        handler.flush();
        assertThat(writes.size(), is(1));
    }

    @Test
    void manyLinesGoOutInChunksOfWholeLinesOfAtMostPipeBuf() {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            String line = "2026-11-29T20:00:00.000Z 127.0.0.1 alice \"GET /items/" + i + "\" 200 0.1ms";
            handler.publish(new LogRecord(Level.INFO, line));
            all.append(line).append(System.lineSeparator());
        }
        handler.flush();
        assertThat(writes.size() > 10, is(true));
        for (String write : writes) {
            assertThat(write.getBytes(StandardCharsets.UTF_8).length, lessThanOrEqualTo(AccessLogHandler.CHUNK));
            assertThat(write, endsWith(System.lineSeparator()));
        }
        assertThat(String.join("", writes), is(all.toString()));
    }

    @Test
    void aLineLongerThanAChunkGoesOutAlone() {
        handler.publish(new LogRecord(Level.INFO, "short"));
        String longLine = "x".repeat(AccessLogHandler.CHUNK + 10);
        handler.publish(new LogRecord(Level.INFO, longLine));
        handler.flush();
        assertThat(writes, is(List.of("short" + System.lineSeparator(), longLine + System.lineSeparator())));
    }

    @Test
    void durationsAreMillisecondsWithOneDecimalRoundedHalfUp() {
        assertThat(duration(0), is("0.0"));
        assertThat(duration(49_999), is("0.0"));
        assertThat(duration(50_000), is("0.1"));
        assertThat(duration(1_250_000), is("1.3"));
        assertThat(duration(9_960_000), is("10.0"));
        assertThat(duration(12_345_678_901L), is("12345.7"));
    }

    private static String duration(long nanos) {
        return AccessLog.duration(new AccessLog.Entry(0, nanos, "-", "-", "GET", "/", 200));
    }
}
