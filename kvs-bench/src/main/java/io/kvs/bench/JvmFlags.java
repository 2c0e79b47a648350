package io.kvs.bench;

import io.kvs.bench.peers.Peer;
import io.kvs.core.log.JvmAccess;

import java.util.ArrayList;
import java.util.List;

/**
 * The JVM flags a JMH fork needs on this JDK: KvStore's, plus Chronicle's analytics switch (kvs-core's
 * one list, {@link JvmAccess#launchFlags()}), then the peers' ({@link Peer#jvmFlags()}).
 */
final class JvmFlags {

    private JvmFlags() {
    }

    static List<String> forThisJdk() {
        List<String> flags = new ArrayList<>(JvmAccess.launchFlags());
        flags.addAll(Peer.jvmFlags());
        return List.copyOf(flags);
    }
}
