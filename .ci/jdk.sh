# Sourced by the project's scripts: exports JAVA_HOME pointing at a JDK 21 or newer.
# Honours JAVA_HOME when it is 21+, else picks the newest JDK 21+ in the usual folders.

java_major() {  # prints the feature version of the java binary given, or nothing
    # from the runtime's release file (JAVA_VERSION="25.0.1"), which every JDK 9+ and jlink image has: running
    # java to ask costs ~60 ms a time, and the launcher asks up to three times before the service starts
    local release v
    release=$(dirname "$(dirname "$1")")/release
    if [ -f "$release" ]; then
        v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\)[."].*/\1/p' "$release" | head -n 1)
        if [ -n "$v" ]; then
            echo "$v"
            return 0
        fi
    fi
    "$1" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

find_jdk() {
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
        v=$(java_major "$JAVA_HOME/bin/java")
        if [ "${v:-0}" -ge 21 ]; then echo "$JAVA_HOME"; return 0; fi
    fi
    best=""; best_v=0
    for home in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /usr/local/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
        [ -x "$home/bin/javac" ] || continue
        v=$(java_major "$home/bin/java")
        if [ "${v:-0}" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best="$home"; best_v=$v; fi
    done
    [ -n "$best" ] && echo "$best"
}

java_home_given=${JAVA_HOME:-unset}
JAVA_HOME=$(find_jdk) || true
if [ -z "$JAVA_HOME" ]; then
    echo "error: this project needs a JDK 21 or newer (Helidon 4). None was found:" >&2
    echo "  JAVA_HOME is '$java_home_given' and no JDK 21+ is in /usr/lib/jvm, /usr/java or /opt." >&2
    echo "  Install one (for example: apt-get install openjdk-21-jdk) or set JAVA_HOME to it." >&2
    exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
# Maven's own libraries use sun.misc.Unsafe, which JDK 24+ warns about on every run
if [ "$(java_major "$JAVA_HOME/bin/java")" -ge 24 ]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
# No terminal escape sequences in Maven's output: the scripts run it with -B -Dstyle.color=never (no colours), and
# Jansi 2 (Maven 3.8+) writes a colour reset, ESC[0m, when Maven starts and when it ends unless told not to
case " ${MAVEN_OPTS:-} " in
*" -Djansi.noreset=true "*) ;;
*) export MAVEN_OPTS="${MAVEN_OPTS:-} -Djansi.noreset=true" ;;
esac
