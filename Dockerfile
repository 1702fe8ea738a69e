# Container image of the token service: Maven build, a jlink'ed Java runtime, a small Debian base.
#
#   docker build -t token-service .          (or: podman build -t token-service .)
#
# The base images are parameters so that a machine without registry access can build from bases it made
# itself (.ci/image does): BUILD_IMAGE needs a JDK 21+ with jmods (jlink), jdeps and `mvn` on PATH;
# RUNTIME_IMAGE needs glibc, a shell and useradd (any Debian or Ubuntu does).
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-21
ARG RUNTIME_IMAGE=debian:trixie-slim
# the modules of the Java runtime: see the jre stage
ARG JLINK_EXCLUDE=java.desktop
ARG JLINK_EXTRA=jdk.crypto.ec,java.security.jgss,jdk.unsupported,jdk.management,java.compiler

FROM ${BUILD_IMAGE} AS deps
WORKDIR /build
# Dependencies and plugins in their own layer, rebuilt only when pom.xml changes; the runtime libraries are
# copied to target/libs by the parent POM's own copy-libs execution.
COPY pom.xml ./
RUN mvn -B -ntp -q dependency:go-offline dependency:copy-dependencies@copy-libs

# A minimal Java runtime with only the modules that the libraries use, made from pom.xml alone so that a
# change to the sources does not make it again (the build stage checks the application's own needs).
# JLINK_EXCLUDE: modules that jdeps reports but the service never loads. snakeyaml declares
#   `requires static java.desktop` for its JavaBean binding (java.beans); Helidon's YAML config source only
#   reads maps and lists, so java.desktop (AWT, fonts: ~20 MB more runtime) stays out.
# JLINK_EXTRA: modules found only at run time through service loaders, which jdeps cannot see.
#   jdk.crypto.ec: the SunEC provider (EC keys in the JWK set, TLS) on JDK 21; empty and harmless on 22+.
#   java.security.jgss: PostgreSQL's driver offers GSSAPI (Kerberos) authentication; jdeps sees that only when
#   it reads the driver from the class path, as the build stage's check does.
#   jdk.unsupported: sun.misc.Signal, with which the service tells SIGINT from SIGTERM (Shutdown).
#   jdk.management: com.sun.management, which Micrometer's JVM meters (Helidon metrics) read.
#   java.compiler: javax.lang.model, named by the annotations Caffeine (the bearer cache) and Micrometer are
#   compiled with; the build stage's check finds it from the class path, the module-path scan does not (0.3 MB).
#   Added only when the build JDK has them.
# The CDS archive makes the JVM start faster; its variant for heaps over 32 GB (no compressed oops) goes.
FROM deps AS jre
ARG JLINK_EXCLUDE
ARG JLINK_EXTRA
RUN set -eu; \
    found=$(jdeps --ignore-missing-deps --print-module-deps --multi-release 21 \
                  --module-path target/libs --add-modules ALL-MODULE-PATH); \
    available=$(java --list-modules | sed 's/@.*//'); \
    modules=""; \
    for m in $(echo "$found,$JLINK_EXTRA" | tr ',' ' '); do \
        case ",$JLINK_EXCLUDE,$modules," in *",$m,"*) continue ;; esac; \
        if echo "$available" | grep -qxF "$m"; then modules="${modules:+$modules,}$m"; fi; \
    done; \
    echo "jdeps found: $found; jlink modules: $modules"; \
    jlink --add-modules "$modules" --strip-java-debug-attributes --no-man-pages --no-header-files \
          --compress=zip-6 --generate-cds-archive --output /jre; \
    rm -f /jre/lib/server/classes_nocoops.jsa; \
    /jre/bin/java -Xshare:on -version

FROM deps AS build
# Tests are CI's job (mvn verify); building the image does not run them again unless asked.
ARG SKIP_TESTS=true
COPY src ./src
RUN mvn -B -ntp -DskipTests=${SKIP_TESTS} package
COPY bin/jvm.options ./bin/jvm.options
RUN grep -v -E '^-Xm[sxn]' bin/jvm.options > jvm.options
# The modules the application's own classes use must be in the runtime too: fail here, not in production.
ARG JLINK_EXCLUDE
COPY --from=jre /jre/release ./jre.release
RUN set -eu; \
    need=$(jdeps --ignore-missing-deps --print-module-deps --multi-release 21 \
                 --class-path 'target/libs/*' target/token-service.jar); \
    have=$(sed -n 's/^MODULES="\(.*\)"/ \1 /p' jre.release); \
    for m in $(echo "$need" | tr ',' ' '); do \
        case ",$JLINK_EXCLUDE," in *",$m,"*) continue ;; esac; \
        case "$have" in *" $m "*) ;; *) echo "the application needs module $m: add it to JLINK_EXTRA" >&2; exit 1 ;; esac; \
    done; \
    echo "application modules: $need; all in the runtime"

FROM ${RUNTIME_IMAGE}
# A fixed numeric user, so that orchestrators can check runAsNonRoot and volumes can be prepared for it.
ARG APP_UID=10001
RUN groupadd --gid "${APP_UID}" tokenservice \
 && useradd --uid "${APP_UID}" --gid "${APP_UID}" --home-dir /nonexistent --no-create-home \
            --shell /usr/sbin/nologin tokenservice \
 && mkdir -p /var/lib/token-service/keys \
 && chown -R "${APP_UID}:${APP_UID}" /var/lib/token-service \
 && chmod 0700 /var/lib/token-service/keys

COPY --from=jre /jre /opt/java
ENV JAVA_HOME=/opt/java \
    PATH=/opt/java/bin:$PATH
WORKDIR /app
# libraries first: they change less often than the application jar
COPY --from=build /build/target/libs/ /app/libs/
COPY --from=build /build/target/token-service.jar /app/token-service.jar
# The shipped JVM settings (bin/jvm.options, as bin/token-service applies them) but the heap, which
# JDK_JAVA_OPTIONS below sizes from the container's memory limit; read by `java @/app/jvm.options`.
COPY --from=build /build/jvm.options /app/jvm.options

# The signing keys live in a volume. With APP_KEYS_GENERATE=true the service creates a key set there on
# first start (owner-only file) and reuses it afterwards; or mount an existing JWK set read-only at this path.
ENV APP_KEYS_FILE=/var/lib/token-service/keys/jwks.json
VOLUME ["/var/lib/token-service/keys"]

# JVM sized from the container's memory limit, not the host's; exit on OOM so the orchestrator restarts it;
# no hsperfdata file in /tmp, so the root filesystem can be read-only. Replace the variable to change them.
ENV JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData"

USER ${APP_UID}:${APP_UID}
EXPOSE 8080
# `docker run IMAGE hash-password` runs the password-hash command instead of the server
ENTRYPOINT ["java", "@/app/jvm.options", "-jar", "/app/token-service.jar"]
