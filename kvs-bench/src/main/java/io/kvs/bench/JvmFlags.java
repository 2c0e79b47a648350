package io.kvs.bench;

import io.kvs.core.log.JvmAccess;

import java.util.List;

/**
 * The JVM flags KvStore needs on this JDK, plus Chronicle's analytics switch; passed to JMH forks
 * and to child servers. The list is kvs-core's one list ({@link JvmAccess#launchFlags()}).
 */
final class JvmFlags {

    private JvmFlags() {
    }

    static List<String> forThisJdk() {
        return JvmAccess.launchFlags();
    }
}
