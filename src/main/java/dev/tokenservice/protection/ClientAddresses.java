package dev.tokenservice.protection;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.tokenservice.config.ConfigKeys;

import io.helidon.config.Config;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/**
 * The address a request comes from, for login throttling. Behind a reverse proxy (a Kubernetes ingress) the peer
 * of the connection is the proxy; the proxy names the client in a header. That header is believed only when the
 * peer is one of {@code app.login-protection.trusted-proxies} (addresses or CIDR blocks): anyone else could write
 * any address into it. Of the addresses in the header, the right-most one that is not itself a trusted proxy is the
 * client (each proxy appends the peer it saw; what is further left came from the client and proves nothing).
 * <p>
 * Only the header named by {@code app.login-protection.forwarded-header} is read, {@code X-Forwarded-For} (what
 * ingress-nginx, Traefik and the cloud load balancers write) or {@code Forwarded} (RFC 7239): a proxy that appends
 * to one passes the other through from the client unchanged.
 * <p>
 * IPv6 clients are counted by their /64 network: one subscriber gets a whole /64 and could otherwise change address
 * on every attempt.
 */
public final class ClientAddresses {
    private final List<IpBlock> trustedProxies;
    private final HeaderName header;

    private ClientAddresses(List<IpBlock> trustedProxies, HeaderName header) {
        this.trustedProxies = List.copyOf(trustedProxies);
        this.header = header;
    }

    /**
     * Reads {@code trusted-proxies} and {@code forwarded-header}.
     *
     * @param protection the {@code app.login-protection} node
     * @throws IllegalStateException naming the entry that is not an address or block, or an unknown header
     */
    public static ClientAddresses create(Config protection) {
        List<IpBlock> proxies = new ArrayList<>();
        for (String entry : ConfigKeys.LOGIN_PROTECTION_TRUSTED_PROXIES.node(protection).asList(String.class)
                .orElse(List.of())) {
            try {
                proxies.add(IpBlock.parse(entry));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("app.login-protection.trusted-proxies: " + e.getMessage());
            }
        }
        String name = ConfigKeys.LOGIN_PROTECTION_FORWARDED_HEADER.string(protection).strip();
        HeaderName header = switch (name.toLowerCase(Locale.ROOT)) {
            case "x-forwarded-for" -> HeaderNames.X_FORWARDED_FOR;
            case "forwarded" -> HeaderNames.FORWARDED;
            default -> throw new IllegalStateException("app.login-protection.forwarded-header is '" + name
                                                               + "'; use X-Forwarded-For or Forwarded");
        };
        return new ClientAddresses(proxies, header);
    }

    /**
     * The client address of a request.
     *
     * @return the address, IPv6 ones as their /64 network
     */
    public String of(ServerRequest req) {
        SocketAddress peer = req.remotePeer().address();
        if (!(peer instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return req.remotePeer().host();
        }
        return resolve(inet.getAddress(), req.headers().all(header, List::of));
    }

    /**
     * The client address, given the peer and the values of the forwarding header.
     *
     * @param headerValues every value of the configured header, in order
     * @return the address, IPv6 ones as their /64 network
     */
    String resolve(InetAddress peer, List<String> headerValues) {
        InetAddress client = peer;
        if (trusted(peer)) {
            List<String> hops = new ArrayList<>();
            headerValues.forEach(value -> hops.addAll(Arrays.asList(value.split(","))));
            for (int i = hops.size() - 1; i >= 0; i--) {
                Optional<InetAddress> hop = parseHop(hops.get(i).strip());
                if (hop.isEmpty()) {
                    // "unknown", an obfuscated name or garbage: the last address before it is as far as we can trust
                    break;
                }
                client = hop.get();
                if (!trusted(client)) {
                    break;
                }
            }
        }
        return key(client);
    }

    private boolean trusted(InetAddress address) {
        return trustedProxies.stream().anyMatch(block -> block.contains(address));
    }

    private Optional<InetAddress> parseHop(String hop) {
        String node = hop;
        if (header.equals(HeaderNames.FORWARDED)) {
            // RFC 7239 §4: for=192.0.2.60;proto=http, for="[2001:db8::17]:4711"
            node = null;
            for (String pair : hop.split(";")) {
                String trimmed = pair.strip();
                if (trimmed.regionMatches(true, 0, "for=", 0, 4)) {
                    node = trimmed.substring(4).replace("\"", "");
                }
            }
            if (node == null) {
                return Optional.empty();
            }
        }
        return IpBlock.literal(withoutPort(node));
    }

    private static String withoutPort(String node) {
        if (node.startsWith("[")) {
            int end = node.indexOf(']');
            return end < 0 ? node : node.substring(1, end);
        }
        int colon = node.indexOf(':');
        // one colon: IPv4 with a port; more: a bare IPv6 address
        return colon >= 0 && colon == node.lastIndexOf(':') ? node.substring(0, colon) : node;
    }

    private static String key(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] network = Arrays.copyOf(address.getAddress(), 16);
            Arrays.fill(network, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(network).getHostAddress() + "/64";
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return address.getHostAddress();
    }
}
