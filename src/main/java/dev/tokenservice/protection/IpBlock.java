package dev.tokenservice.protection;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IP address block in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}), or one address. Written by hand:
 * Helidon's {@code AllowList} matches strings, not address blocks, and an ingress is known by its pod network.
 *
 * @param network the block's first address
 * @param prefix  the number of leading bits that must match
 */
record IpBlock(InetAddress network, int prefix) {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /**
     * Reads a block from configuration.
     *
     * @param text {@code address} or {@code address/prefix}
     * @throws IllegalArgumentException when it is not an IP address block
     */
    static IpBlock parse(String text) {
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        InetAddress address = literal(slash < 0 ? trimmed : trimmed.substring(0, slash))
                .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block"));
        int bits = address.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0.." + bits);
            }
        }
        return new IpBlock(address, prefix);
    }

    /**
     * Parses an IP address literal, never resolving a host name.
     *
     * @param text candidate, such as {@code 192.0.2.1} or {@code 2001:db8::1}
     * @return the address, empty when the text is not an IP literal
     */
    static Optional<InetAddress> literal(String text) {
        var ipv4 = IPV4.matcher(text);
        if (ipv4.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(ipv4.group(i)) > 255) {
                    return Optional.empty();
                }
            }
        } else if (!IPV6.matcher(text).matches()) {
            // anything else would make getByName look a host name up
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether an address lies in this block.
     *
     * @return whether its first {@link #prefix} bits equal the network's
     */
    boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        byte[] net = network.getAddress();
        if (candidate.length != net.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((candidate[bit / 8] & mask) != (net[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }
}
