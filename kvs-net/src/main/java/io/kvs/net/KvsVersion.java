package io.kvs.net;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The kvs version, which is the Maven project version of the build. */
public final class KvsVersion {

    private KvsVersion() {
    }

    /** The version string, for example {@code 0.1.0-SNAPSHOT}. */
    public static String current() {
        try (InputStream in = KvsVersion.class.getResourceAsStream("version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
