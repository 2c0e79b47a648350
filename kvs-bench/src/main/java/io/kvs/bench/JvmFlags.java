package io.kvs.bench;

import io.kvs.bench.peers.Peer;
import io.kvs.core.log.JvmAccess;

import java.util.ArrayList;
import java.util.List;

/**
 * The JVM flags a JMH fork needs on this JDK: KvStore's, plus Chronicle's analytics switch (kvs-core's
 * one list, {@link JvmAccess#launchFlags()}), then the peers' ({@link Peer#jvmFlags()}), then
 * {@link #HEAP_FLAGS}.
 */
final class JvmFlags {

    /**
     * A fixed heap, touched at start: every store is measured on the same heap, and no iteration
     * pays for the JVM growing it (G1 expanding eden after a fill put fresh, never-touched pages
     * under the allocations of a read benchmark, which doubled some iterations' times).
     */
    static final List<String> HEAP_FLAGS = List.of("-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch");

    private JvmFlags() {
    }

    static List<String> forThisJdk() {
        List<String> flags = new ArrayList<>(JvmAccess.launchFlags());
        flags.addAll(Peer.jvmFlags());
        flags.addAll(HEAP_FLAGS);
        return List.copyOf(flags);
    }
}
