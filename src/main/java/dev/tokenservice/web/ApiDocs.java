package dev.tokenservice.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.staticcontent.ClasspathHandlerConfig;
import io.helidon.webserver.staticcontent.StaticContentFeature;

/**
 * {@code /} redirects to {@code /docs/}: Swagger UI from its Maven webjar, bundled in the jar, showing {@code /openapi}. Only the
 * initializer is ours ({@code docs/swagger-initializer.js}); every other file is the webjar's.
 */
public final class ApiDocs {
    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    private static final String WEBJAR_POM = "META-INF/maven/org.webjars/swagger-ui/pom.properties";

    private ApiDocs() {
    }

    /** Registers {@code /docs}. */
    public static void register(HttpRules rules) {
        // a browser pointed at the service's address lands on its docs, not on a JSON 404
        rules.register("/", new HttpService() {
            @Override
            public void routing(HttpRules root) {
                root.get("/", (req, res) -> res.status(Status.FOUND_302).header(HeaderNames.LOCATION, "/docs/").send());
            }
        });
        rules.register("/docs",
                       StaticContentFeature.createService(ClasspathHandlerConfig.builder()
                                                                  .location("docs")
                                                                  .build()),
                       StaticContentFeature.createService(ClasspathHandlerConfig.builder()
                                                                  .location(WEBJAR + webjarVersion())
                                                                  .welcome("index.html")
                                                                  .build()));
    }

    private static String webjarVersion() {
        // the webjar's folder carries its version; its own Maven metadata tells which
        try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(WEBJAR_POM)) {
            if (in == null) {
                throw new IllegalStateException("The Swagger UI webjar is not on the class path");
            }
            Properties pom = new Properties();
            pom.load(in);
            return pom.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
