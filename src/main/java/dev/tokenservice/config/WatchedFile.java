package dev.tokenservice.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A file of the deployment that is read again every interval (the key set, the users file): a changed content that
 * parses replaces the current value in one step, edited in place or swapped behind a symbolic link as Kubernetes
 * does with a mounted Secret; a content that does not parse is refused with an error in the log, and the current
 * value stays. The file is compared by its bytes, so an unchanged file is not parsed again.
 *
 * @param <T> what the file holds
 */
public final class WatchedFile<T> {
    private static final System.Logger LOGGER = System.getLogger(WatchedFile.class.getName());

    private final String setting;
    private final Path file;
    private final Function<byte[], T> parse;
    private final Function<T, String> describe;
    private final Consumer<T> beforeChange;
    private Listener<T> listener = Listener.none();
    private volatile T current;
    private byte[] lastRead;
    private boolean unreadable;

    private WatchedFile(String setting, Path file, Function<byte[], T> parse, Function<T, String> describe,
                        Consumer<T> beforeChange) {
        this.setting = setting;
        this.file = file;
        this.parse = parse;
        this.describe = describe;
        this.beforeChange = beforeChange;
    }

    /**
     * Reads and parses the file, starts reading it again every interval, and tells a listener of every change and
     * every refused content.
     *
     * @param setting      the setting that names the file, for messages ({@code app.users-file})
     * @param parse        reads the content; throws a {@link RuntimeException} saying what is wrong
     * @param describe     what the log says of a value ("3 users")
     * @param beforeChange runs with a new value just before it replaces the current one
     * @param interval     how often the file is read again; zero: never
     * @param listener     told of each reload, after the log line
     * @throws IllegalStateException when the file cannot be read, or what {@code parse} throws
     */
    public static <T> WatchedFile<T> watch(String setting, Path file, Function<byte[], T> parse,
                                           Function<T, String> describe, Consumer<T> beforeChange,
                                           Duration interval, Listener<T> listener) {
        WatchedFile<T> watched = new WatchedFile<>(setting, file, parse, describe, beforeChange);
        watched.listener = listener;
        byte[] content = watched.read();
        watched.current = parse.apply(content);
        watched.lastRead = content;
        if (!interval.isZero()) {
            Thread.ofVirtual().name(setting + "-watch").start(() -> watched.watchEvery(interval));
        }
        return watched;
    }

    /** The current value. Read once per operation: a later call may see a newer one. */
    public T current() {
        return current;
    }

    /** Reads the file again and, when it changed and parses, makes it the current value. */
    public synchronized boolean reload() {
        byte[] content;
        try {
            content = read();
        } catch (IllegalStateException e) {
            LOGGER.log(System.Logger.Level.WARNING, e.getMessage() + "; keeping " + describe.apply(current));
            if (!unreadable) {
                // once per loss, not at every interval while the file stays away
                unreadable = true;
                listener.refused(false, e.getMessage());
            }
            return false;
        }
        unreadable = false;
        if (Arrays.equals(content, lastRead)) {
            return false;
        }
        lastRead = content;
        try {
            T next = parse.apply(content);
            beforeChange.accept(next);
            T previous = current;
            current = next;
            LOGGER.log(System.Logger.Level.INFO, "Reloaded " + setting + " " + file + ": " + describe.apply(next));
            listener.reloaded(previous, next);
            return true;
        } catch (RuntimeException e) {
            LOGGER.log(System.Logger.Level.ERROR, "Refused the changed " + setting + " " + file + ": "
                    + e.getMessage() + "; keeping " + describe.apply(current));
            listener.refused(true, e.getMessage());
            return false;
        }
    }

    /**
     * Told what a reload did.
     *
     * @param <T> what the file holds
     */
    public interface Listener<T> {
        /**
         * A listener that does nothing.
         *
         * @param <T> what the file holds
         * @return listener
         */
        static <T> Listener<T> none() {
            return new Listener<>() {
                @Override
                public void reloaded(T previous, T next) {
                }

                @Override
                public void refused(boolean read, String problem) {
                }
            };
        }

        /**
         * A changed file replaced the value.
         *
         * @param previous the value before
         * @param next     the value now
         */
        void reloaded(T previous, T next);

        /**
         * A changed file was refused, or the file could not be read; the value stays.
         *
         * @param read    whether the file was read (and its content refused), rather than missing or unreadable
         * @param problem what is wrong, as the log says it
         */
        void refused(boolean read, String problem);
    }

    private byte[] read() {
        if (Files.notExists(file)) {
            throw new IllegalStateException(setting + " " + file + " does not exist");
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException(setting + " " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private void watchEvery(Duration interval) {
        while (true) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
            reload();
        }
    }
}
