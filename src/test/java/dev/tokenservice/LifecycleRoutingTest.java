package dev.tokenservice;

import java.util.List;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.spi.ServerFeature;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpFeatures;
import io.helidon.webserver.testing.junit5.SetUpRoute;

/**
 * {@link AbstractLifecycleTest} in memory, without a socket.
 */
@RoutingTest
class LifecycleRoutingTest extends AbstractLifecycleTest {
    LifecycleRoutingTest(DirectClient client) {
        super(client);
    }

    @SetUpFeatures(false)
    static List<ServerFeature> features() {
        return TestApp.shared().features();
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        TestApp.shared().routing(routing);
    }
}
