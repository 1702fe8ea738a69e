package dev.tokenservice.ops;

import java.util.logging.Formatter;
import java.util.logging.LogRecord;
import java.util.logging.StreamHandler;

/**
 * The handler of the {@code access} logger ({@code logging.properties}): writes each line to standard output as
 * it is, since it carries its own time, without the timestamp of the other log lines. Only {@link AccessLog}'s
 * writer thread publishes here, and it flushes when its queue is empty, not after every line.
 */
public final class AccessLogHandler extends StreamHandler {
    /**
     * Creates the handler on standard output.
     */
    public AccessLogHandler() {
        super(System.out, new Formatter() {
            @Override
            public String format(LogRecord record) {
                return record.getMessage() + System.lineSeparator();
            }
        });
    }

    @Override
    public void close() {
        // standard output is not ours to close
        flush();
    }
}
