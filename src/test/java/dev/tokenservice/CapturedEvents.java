package dev.tokenservice;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

/**
 * The lines of the {@code security} logger while it is open, of one service (by its {@code replica}): other services
 * of the test JVM leave background tasks that may report (a key ring whose folder is gone).
 */
public final class CapturedEvents implements AutoCloseable {
    private final Logger logger = Logger.getLogger("security");
    private final List<String> lines = new ArrayList<>();
    private final AuthServer service;
    private int taken;
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (lines) {
                lines.add(record.getMessage());
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
     * Starts capturing the events of a service.
     *
     * @param service the service
     */
    public CapturedEvents(AuthServer service) {
        this.service = service;
        logger.addHandler(handler);
    }

    /**
     * Every line of the service so far, as written.
     *
     * @return lines
     */
    public List<String> lines() {
        service.events().flush();
        String replica = "\"replica\":" + Json.createValue(service.events().replica()).toString();
        synchronized (lines) {
            return lines.stream().filter(line -> line.contains(replica)).toList();
        }
    }

    /**
     * The service's events since the previous call, parsed.
     *
     * @return events
     */
    public List<JsonObject> next() {
        List<String> all = lines();
        List<JsonObject> events = new ArrayList<>();
        for (String line : all.subList(taken, all.size())) {
            events.add(parse(line));
        }
        taken = all.size();
        return events;
    }

    /**
     * The {@code type outcome reason} of each event since the previous call.
     *
     * @return summaries
     */
    public List<String> nextSummaries() {
        return next().stream().map(CapturedEvents::summary).toList();
    }

    /**
     * An event as {@code type outcome reason}.
     *
     * @param event event
     * @return summary
     */
    public static String summary(JsonObject event) {
        return event.getString("type") + " " + event.getString("outcome")
                + (event.containsKey("reason") ? " " + event.getString("reason") : "");
    }

    /**
     * One line as JSON; fails unless it is exactly one object.
     *
     * @param line line
     * @return object
     */
    public static JsonObject parse(String line) {
        try (JsonReader reader = Json.createReader(new StringReader(line))) {
            return reader.readObject();
        }
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
