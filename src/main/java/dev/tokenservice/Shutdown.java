package dev.tokenservice;

import java.time.Duration;

import dev.tokenservice.config.HumanDuration;

import io.helidon.webserver.WebServer;
import sun.misc.Signal;

/**
 * How the service stops. On SIGTERM (Kubernetes, systemd, {@code kill}) readiness fails first and the server keeps
 * answering for {@code app.shutdown.drain-time} while load balancers stop sending traffic, then stops accepting;
 * requests in flight finish within {@code server.shutdown-grace-period}. On SIGINT (Ctrl-C in a terminal) nobody
 * routes traffic by readiness, so the drain is skipped and the stop is quick; requests in flight still finish.
 */
final class Shutdown {
    private static volatile boolean interrupted;

    private Shutdown() {
    }

    /**
     * Installs the stop: a shutdown hook, and a SIGINT handler that marks the stop as interactive.
     *
     * @param drainTime drain after SIGTERM
     */
    static void install(WebServer server, AuthServer service, Duration drainTime) {
        try {
            // the JDK has no public API to tell SIGINT from SIGTERM in a shutdown hook
            Signal.handle(new Signal("INT"), signal -> {
                interrupted = true;
                System.exit(130);
            });
        } catch (IllegalArgumentException e) {
            // SIGINT is ignored here (a background job of a shell, java -Xrs): only SIGTERM stops the service
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, service, drainTime), "graceful-shutdown"));
    }

    private static void stop(WebServer server, AuthServer service, Duration drainTime) {
        service.readiness().drain();
        if (interrupted) {
            System.err.println("token-service: interrupted (Ctrl-C), stopping without a drain");
        } else {
            System.err.println("token-service: shutting down, readiness is down; draining for "
                                       + HumanDuration.of(drainTime));
            try {
                Thread.sleep(drainTime);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        server.stop();
        service.accessLog().close();
        service.stores().close();
        service.events().close();
        System.err.println("token-service: stopped");
    }
}
