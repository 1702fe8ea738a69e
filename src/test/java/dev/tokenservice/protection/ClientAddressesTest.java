package dev.tokenservice.protection;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import dev.tokenservice.TestApp;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The client address: a forwarding header counts only from a trusted proxy, and then only up to the first address
 * that is not one.
 */
class ClientAddressesTest {
    private static final ClientAddresses BEHIND_INGRESS = addresses(Map.of("trusted-proxies.0", "10.0.0.0/8",
                                                                           "trusted-proxies.1", "192.0.2.10"));
    private static final ClientAddresses DIRECT = addresses(Map.of());

    @Test
    void untrustedPeerIsTheClientWhateverTheHeaderSays() throws Exception {
        InetAddress peer = InetAddress.getByName("203.0.113.5");
        assertThat(BEHIND_INGRESS.resolve(peer, List.of("198.51.100.1")), is("203.0.113.5"));
        assertThat(DIRECT.resolve(InetAddress.getByName("10.1.2.3"), List.of("198.51.100.1")), is("10.1.2.3"));
        assertThat(DIRECT.resolve(peer, List.of()), is("203.0.113.5"));
    }

    @Test
    void trustedProxyNamesTheClient() throws Exception {
        InetAddress ingress = InetAddress.getByName("10.4.0.7");
        assertThat(BEHIND_INGRESS.resolve(ingress, List.of("198.51.100.1")), is("198.51.100.1"));
        // the client wrote the left part itself; the ingress appended what it saw
        assertThat(BEHIND_INGRESS.resolve(ingress, List.of("1.2.3.4, 198.51.100.1")), is("198.51.100.1"));
        // two trusted hops (a load balancer in front of the ingress), over two header lines
        assertThat(BEHIND_INGRESS.resolve(ingress, List.of("1.2.3.4, 198.51.100.1", "192.0.2.10")),
                   is("198.51.100.1"));
        assertThat(BEHIND_INGRESS.resolve(ingress, List.of("198.51.100.1:4711")), is("198.51.100.1"));
        // nothing but trusted hops: the left-most of them
        assertThat(BEHIND_INGRESS.resolve(ingress, List.of("10.9.9.9")), is("10.9.9.9"));
        // no header: the proxy itself
        assertThat(BEHIND_INGRESS.resolve(ingress, List.of()), is("10.4.0.7"));
        // garbage where an address should be: the last address before it
        assertThat(BEHIND_INGRESS.resolve(ingress, List.of("evil.example, 10.9.9.9")), is("10.9.9.9"));
        assertThat(BEHIND_INGRESS.resolve(ingress, List.of("localhost")), is("10.4.0.7"));
    }

    @Test
    void forwardedHeaderIsReadWhenConfigured() throws Exception {
        ClientAddresses forwarded = addresses(Map.of("trusted-proxies.0", "10.0.0.0/8",
                                                     "forwarded-header", "Forwarded"));
        InetAddress ingress = InetAddress.getByName("10.4.0.7");
        assertThat(forwarded.resolve(ingress, List.of("for=1.2.3.4, for=198.51.100.1;proto=https;by=10.4.0.7")),
                   is("198.51.100.1"));
        assertThat(forwarded.resolve(ingress, List.of("for=\"198.51.100.1:4711\"")), is("198.51.100.1"));
        assertThat(forwarded.resolve(ingress, List.of("For=\"[2001:db8:cafe:1:2::17]:4711\"")),
                   is("2001:db8:cafe:1:0:0:0:0/64"));
        assertThat(forwarded.resolve(ingress, List.of("for=unknown")), is("10.4.0.7"));
        assertThat(forwarded.resolve(ingress, List.of("for=_hidden")), is("10.4.0.7"));
    }

    @Test
    void ipv6ClientsAreCountedByTheirNetwork() throws Exception {
        assertThat(DIRECT.resolve(InetAddress.getByName("2001:db8:1:2:aaaa::1"), List.of()),
                   is("2001:db8:1:2:0:0:0:0/64"));
        assertThat(DIRECT.resolve(InetAddress.getByName("2001:db8:1:2:bbbb::9"), List.of()),
                   is("2001:db8:1:2:0:0:0:0/64"));
    }

    @Test
    void blocksMatchByPrefix() {
        IpBlock block = IpBlock.parse("172.16.0.0/12");
        assertThat(block.contains(IpBlock.literal("172.31.255.255").orElseThrow()), is(true));
        assertThat(block.contains(IpBlock.literal("172.32.0.0").orElseThrow()), is(false));
        assertThat(block.contains(IpBlock.literal("::1").orElseThrow()), is(false));
        assertThat(IpBlock.parse("::1").contains(IpBlock.literal("0:0:0:0:0:0:0:1").orElseThrow()), is(true));
        assertThat(IpBlock.parse("0.0.0.0/0").contains(IpBlock.literal("8.8.8.8").orElseThrow()), is(true));
        assertThat(IpBlock.literal("256.1.1.1").isPresent(), is(false));
        assertThat(IpBlock.literal("example.com").isPresent(), is(false));
    }

    @Test
    void badConfigurationNamesTheEntry() {
        var bad = assertThrows(IllegalStateException.class,
                               () -> addresses(Map.of("trusted-proxies.0", "ingress.local")));
        assertThat(bad.getMessage(), containsString("ingress.local"));
        bad = assertThrows(IllegalStateException.class, () -> addresses(Map.of("trusted-proxies.0", "10.0.0.0/33")));
        assertThat(bad.getMessage(), containsString("10.0.0.0/33"));
        bad = assertThrows(IllegalStateException.class, () -> addresses(Map.of("forwarded-header", "X-Real-IP")));
        assertThat(bad.getMessage(), containsString("X-Real-IP"));
    }

    private static ClientAddresses addresses(Map<String, String> settings) {
        return ClientAddresses.create(TestApp.section("app.login-protection", settings));
    }
}
