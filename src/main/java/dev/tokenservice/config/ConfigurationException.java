package dev.tokenservice.config;

/**
 * A configuration that must not be used: names the key and says what is wrong with it, in one line, so that start-up
 * can print {@code token-service cannot start: <key>: <what is wrong>} and nothing else.
 */
public final class ConfigurationException extends IllegalStateException {
    private final String key;

    /**
     * Creates the exception.
     *
     * @param key     the configuration key, or the file, at fault
     * @param problem what is wrong, for a person to fix
     */
    public ConfigurationException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
    }

    /** The key, or the file, at fault. */
    public String key() {
        return key;
    }
}
