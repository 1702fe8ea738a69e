package dev.tokenservice.resource;

import org.openjdk.jol.info.GraphLayout;

/**
 * The memory objects really hold, measured with JOL by walking their graph.
 */
final class Footprint {
    static {
        // JOL cannot read the field offsets of records the usual way on Java 21+
        System.setProperty("jol.magicFieldOffset", "true");
    }

    private Footprint() {
    }

    /**
     * The bytes of everything reachable from the roots and not from the shared ones.
     *
     * @param roots  what to measure
     * @param shared what the roots refer to but do not own
     * @return bytes
     */
    static long bytes(Object[] roots, Object... shared) {
        return GraphLayout.parseInstance(roots).subtract(GraphLayout.parseInstance(shared)).totalSize();
    }

    /**
     * Whether an object of a type is reachable from a root.
     *
     * @param root object
     * @param type type looked for
     * @return whether the graph holds one
     */
    static boolean holds(Object root, Class<?> type) {
        return GraphLayout.parseInstance(root).getClasses().stream().anyMatch(type::isAssignableFrom);
    }
}
