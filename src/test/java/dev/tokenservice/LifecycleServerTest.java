package dev.tokenservice;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

/**
 * {@link AbstractLifecycleTest} over a real socket, with the server configured as {@link Main} configures it.
 */
@ServerTest
class LifecycleServerTest extends AbstractLifecycleTest {
    LifecycleServerTest(Http1Client client) {
        super(client);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        TestApp.shared().configure(server);
    }
}
