package dev.tokenservice;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Everything logged at INFO and above (and everything of {@code dev.tokenservice}) while it is open, for tests
 * that check what a request leaves in the log.
 */
public final class CapturedLog implements AutoCloseable {
    private final List<LogRecord> records = new ArrayList<>();
    private final Logger root = Logger.getLogger("");
    private final Logger own = Logger.getLogger("dev.tokenservice");
    private final Level previousRoot = root.getLevel();
    private final Level previousOwn = own.getLevel();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (records) {
                records.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /**
     * Starts capturing.
     */
    public CapturedLog() {
        handler.setLevel(Level.ALL);
        root.setLevel(Level.INFO);
        own.setLevel(Level.ALL);
        root.addHandler(handler);
    }

    /**
     * The records that carry a stack trace or are errors, as one line each. (Warnings are left out: other tests in
     * the same JVM leave background tasks that warn, such as a key ring whose folder is gone.)
     *
     * @return problems, empty when none
     */
    public List<String> problems() {
        synchronized (records) {
            return records.stream()
                    .filter(record -> record.getThrown() != null
                            || record.getLevel().intValue() >= Level.SEVERE.intValue())
                    .map(record -> record.getLevel() + " " + record.getLoggerName() + ": " + record.getMessage()
                            + (record.getThrown() == null ? "" : " [" + record.getThrown() + "]"))
                    .toList();
        }
    }

    /**
     * How many records were captured.
     *
     * @return count
     */
    public int size() {
        synchronized (records) {
            return records.size();
        }
    }

    @Override
    public void close() {
        root.removeHandler(handler);
        root.setLevel(previousRoot);
        own.setLevel(previousOwn);
    }
}
