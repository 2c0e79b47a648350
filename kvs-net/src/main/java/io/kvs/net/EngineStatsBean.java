package io.kvs.net;

import io.kvs.core.EngineStats;
import io.kvs.core.KvsEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

/**
 * The {@link EngineStatsMXBean} of one served engine, and its registration: registered when a
 * server starts serving, unregistered when it closes. A registration that fails (a name taken by
 * another server on the same port in this JVM) is logged, never fatal: serving matters more
 * than monitoring.
 */
final class EngineStatsBean implements EngineStatsMXBean {

    private static final Logger LOG = LoggerFactory.getLogger(EngineStatsBean.class);

    private final KvsEngine engine;

    private EngineStatsBean(KvsEngine engine) {
        this.engine = engine;
    }

    /** The object name a server on {@code port} registers. */
    static ObjectName nameFor(int port) {
        try {
            return new ObjectName("io.kvs:type=Engine,port=" + port);
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Registers the stats of {@code engine} for the server on {@code port}; returns the name, or null if it failed. */
    static ObjectName register(KvsEngine engine, int port) {
        ObjectName name = nameFor(port);
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(new EngineStatsBean(engine), name);
            return name;
        } catch (JMException e) {
            LOG.warn("engine stats are not available over JMX as {}: {}", name, e.getMessage());
            return null;
        }
    }

    /** Unregisters {@code name} (null: nothing was registered). */
    static void unregister(ObjectName name) {
        if (name == null) {
            return;
        }
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            server.unregisterMBean(name);
        } catch (JMException e) {
            LOG.debug("unregistering {}: {}", name, e.getMessage());
        }
    }

    private EngineStats stats() {
        return engine.stats();
    }

    @Override
    public long getKeys() {
        return stats().keys();
    }

    @Override
    public long getKeysWithExpiry() {
        return stats().keysWithExpiry();
    }

    @Override
    public long getLiveBytes() {
        return stats().liveBytes();
    }

    @Override
    public long getStaleBytes() {
        return stats().staleBytes();
    }

    @Override
    public long getDiskBytes() {
        return stats().diskBytes();
    }

    @Override
    public long getSegments() {
        return stats().segments();
    }

    @Override
    public long getCompactions() {
        return stats().compactions();
    }

    @Override
    public long getExpiredKeysReclaimed() {
        return stats().expiredKeysReclaimed();
    }

    @Override
    public long getReads() {
        return stats().reads();
    }

    @Override
    public long getWrites() {
        return stats().writes();
    }
}
