package io.kvs.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KvStoreOptionsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        KvStoreOptions defaults = KvStoreOptions.defaults();
        assertEquals(64L << 20, defaults.segmentBytes());
        assertEquals(8L << 20, defaults.compactionThresholdBytes());
        assertEquals(0.5, defaults.compactionMinStaleRatio());
        assertEquals(SyncPolicy.EVERY_SECOND, defaults.syncPolicy());
    }

    @Test
    void outOfRangeValuesAreRefusedWithTheRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KvStoreOptions.defaults().withSegmentBytes(100));
        assertTrue(e.getMessage().contains("between 4096 and 1073741824"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KvStoreOptions.defaults().withCompactionThresholdBytes(-1));
        assertThrows(IllegalArgumentException.class, () -> KvStoreOptions.defaults().withCompactionMinStaleRatio(1.5));
        assertThrows(IllegalArgumentException.class, () -> KvStoreOptions.defaults().withCompactionMinStaleRatio(Double.NaN));
    }

    @Test
    void syncPolicyNamesParseCaseInsensitively() {
        assertEquals(SyncPolicy.EVERY_SECOND, KvStoreOptions.parseSyncPolicy("every-second"));
        assertEquals(SyncPolicy.ALWAYS, KvStoreOptions.parseSyncPolicy("ALWAYS"));
        assertEquals(SyncPolicy.NEVER, KvStoreOptions.parseSyncPolicy(" never "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KvStoreOptions.parseSyncPolicy("sometimes"));
        assertTrue(e.getMessage().contains("never, every-second or always"), e.getMessage());
    }

    @Test
    void systemPropertiesOverrideDefaults() {
        System.setProperty(KvStoreOptions.SEGMENT_BYTES_PROP_NAME, "65536");
        System.setProperty(KvStoreOptions.SYNC_POLICY_PROP_NAME, "always");
        try {
            KvStoreOptions options = KvStoreOptions.fromSystemProperties();
            assertEquals(65536, options.segmentBytes());
            assertEquals(SyncPolicy.ALWAYS, options.syncPolicy());
            System.setProperty(KvStoreOptions.SEGMENT_BYTES_PROP_NAME, "lots");
            assertThrows(IllegalArgumentException.class, KvStoreOptions::fromSystemProperties);
        } finally {
            System.clearProperty(KvStoreOptions.SEGMENT_BYTES_PROP_NAME);
            System.clearProperty(KvStoreOptions.SYNC_POLICY_PROP_NAME);
        }
    }
}
