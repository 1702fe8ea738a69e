package dev.tokenservice.ops;

/**
 * Opens the access log's package-private parts to tests in other packages.
 */
public final class AccessLogAccess {
    private AccessLogAccess() {
    }

    /**
     * The name of the thread that publishes every line of an access log.
     *
     * @param log access log
     * @return thread name
     */
    public static String writerName(AccessLog log) {
        return log.writerName();
    }

    /**
     * RFC 5952 text of an IPv6 address.
     *
     * @param address long form
     * @return compact form
     */
    public static String compact(String address) {
        return AccessLog.Ipv6.compact(address);
    }

    /**
     * The plain line of a request with these fields.
     *
     * @param client  client
     * @param subject subject
     * @param method  method
     * @param path    path
     * @return line
     */
    public static String plainLine(String client, String subject, String method, String path) {
        return AccessLog.plainLine(new AccessLog.Entry(0, 1_000_000, client, subject, method, path, 200));
    }

    /**
     * The JSON line of a request with these fields.
     *
     * @param client  client
     * @param subject subject
     * @param method  method
     * @param path    path
     * @return line
     */
    public static String jsonLine(String client, String subject, String method, String path) {
        return AccessLog.jsonLine(new AccessLog.Entry(0, 1_000_000, client, subject, method, path, 200));
    }
}
