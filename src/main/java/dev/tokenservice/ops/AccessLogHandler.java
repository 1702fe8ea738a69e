package dev.tokenservice.ops;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * The handler of the {@code access} logger ({@code logging.properties}): writes each line to standard output as
 * it is, since it carries its own time, without the timestamp of the other log lines. Only {@link AccessLog}'s
 * writer thread publishes here, and it flushes when its queue is empty.
 * <p>
 * Lines are written to {@code System.out} in chunks of whole lines of at most {@value #CHUNK} bytes, as it flushes
 * on every write: one system call per chunk, not per request. {@value #CHUNK} bytes is {@code PIPE_BUF}: a write
 * that size to a pipe (a container's standard output) is never interleaved with another process's, and chunks end
 * at line ends, so lines of other loggers never land inside an access log line.

 */
public final class AccessLogHandler extends Handler {
    static final int CHUNK = 4096;

    private final OutputStream out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(CHUNK);

    public AccessLogHandler() {
        this(System.out);
    }

    AccessLogHandler(OutputStream out) {
        this.out = out;
    }

    @Override
    public synchronized void publish(LogRecord record) {
        if (!isLoggable(record)) {
            return;
        }
        byte[] line = (record.getMessage() + System.lineSeparator()).getBytes(StandardCharsets.UTF_8);
        if (pending.size() + line.length > CHUNK) {
            flush();
        }
        pending.writeBytes(line);
    }

    @Override
    public synchronized void flush() {
        if (pending.size() == 0) {
            return;
        }
        try {
            pending.writeTo(out);
        } catch (IOException e) {
            reportError("Cannot write the access log", e, ErrorManager.WRITE_FAILURE);
        }
        pending.reset();
    }

    @Override
    public void close() {
        // standard output is not ours to close
        flush();
    }
}
