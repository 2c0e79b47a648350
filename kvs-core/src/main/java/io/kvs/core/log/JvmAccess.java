package io.kvs.core.log;

import io.kvs.core.JvmFlagsMissingException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The JVM flags {@link KvStore} needs, and the check that this JVM was started with them.
 * Chronicle Bytes maps the log through JDK internals, so without the flags the first mapping
 * fails deep inside Chronicle; {@link #check()} fails first, with the list of what to add.
 *
 * <p>The flags come from one list, the resource {@value #FLAGS_RESOURCE_NAME} beside this class,
 * which the build and the launchers in {@code bin/} read too. Thread-safe; stateless apart
 * from caching the list and a successful check.
 */
public final class JvmAccess {

    /** The resource, beside this class, that lists the flags. */
    public static final String FLAGS_RESOURCE_NAME = "jvm-flags.properties";
    /** The key of the flags needed on every supported JDK. */
    static final String REQUIRED_KEY = "kvs.jvm.flags.required";
    /** The key of the flags needed from JDK {@value #JDK24_FEATURE} on. */
    static final String JDK24_KEY = "kvs.jvm.flags.jdk24";
    /** The key of the flags the launchers pass that are not needed to run. */
    static final String OPTIONAL_KEY = "kvs.jvm.flags.optional";
    /** The first JDK feature release that needs the {@value #JDK24_KEY} flags. */
    static final int JDK24_FEATURE = 24;

    private static final String ALL_UNNAMED = "ALL-UNNAMED";
    private static final String UNSAFE_ACCESS_PROP_NAME = "sun.misc.unsafe.memory.access";

    private static final Properties FLAGS = load();
    private static volatile boolean granted;

    private JvmAccess() {
    }

    /**
     * Checks that this JVM grants Chronicle every flag of {@link #requiredFlags()}. Touches no
     * file; after the first success it returns at once.
     *
     * @throws JvmFlagsMissingException naming each missing flag, if any is missing
     */
    public static void check() {
        if (granted) {
            return;
        }
        List<String> missing = missingFlags(requiredFlags(Runtime.version().feature()), chronicleModule());
        if (!missing.isEmpty()) {
            throw new JvmFlagsMissingException(missing);
        }
        granted = true;
    }

    /**
     * The flags KvStore needs on this JDK, as the java command line takes them; the list
     * {@link #check()} verifies.
     */
    public static List<String> requiredFlags() {
        return requiredFlags(Runtime.version().feature());
    }

    /**
     * {@link #requiredFlags()} followed by the flags the launchers also pass but that are not
     * needed to run ({@code -Dchronicle.analytics.disable=true}): for callers that start a JVM
     * that will open a KvStore.
     */
    public static List<String> launchFlags() {
        List<String> flags = new ArrayList<>(requiredFlags());
        flags.addAll(flags(OPTIONAL_KEY));
        return List.copyOf(flags);
    }

    /** The flags KvStore needs on JDK feature release {@code feature}. */
    static List<String> requiredFlags(int feature) {
        List<String> flags = new ArrayList<>(flags(REQUIRED_KEY));
        if (feature >= JDK24_FEATURE) {
            flags.addAll(flags(JDK24_KEY));
        }
        return List.copyOf(flags);
    }

    /**
     * Those of {@code flags} this JVM does not grant to {@code target}, each written for that
     * module ({@code ALL-UNNAMED} becomes its name when it is a named module).
     */
    static List<String> missingFlags(List<String> flags, Module target) {
        String grantee = target.isNamed() ? target.getName() : ALL_UNNAMED;
        List<String> missing = new ArrayList<>();
        for (String flag : flags) {
            if (!isGranted(flag, target)) {
                missing.add(flag.replace(ALL_UNNAMED, grantee));
            }
        }
        return missing;
    }

    private static boolean isGranted(String flag, Module target) {
        String[] parts = flag.split("=", 2);
        String value = parts.length == 2 ? parts[1] : "";
        return switch (parts[0]) {
            case "--add-opens" -> packageOf(flag, value).map(p -> p.module().isOpen(p.name(), target)).orElse(true);
            case "--add-exports" -> packageOf(flag, value).map(p -> p.module().isExported(p.name(), target)).orElse(true);
            case "--enable-native-access" -> isNativeAccessEnabled(target);
            case "--sun-misc-unsafe-memory-access" -> value.equals(System.getProperty(UNSAFE_ACCESS_PROP_NAME));
            default -> throw new IllegalStateException(FLAGS_RESOURCE_NAME + " lists a flag JvmAccess cannot check: " + flag);
        };
    }

    /** The package of {@code module/package=target}; empty if this JDK has no such module or package. */
    private static Optional<ModulePackage> packageOf(String flag, String value) {
        int slash = value.indexOf('/');
        int equals = value.indexOf('=');
        if (slash < 0 || equals < slash) {
            throw new IllegalStateException(FLAGS_RESOURCE_NAME + " has a malformed flag: " + flag);
        }
        String packageName = value.substring(slash + 1, equals);
        return ModuleLayer.boot().findModule(value.substring(0, slash))
                .filter(module -> module.getPackages().contains(packageName))
                .map(module -> new ModulePackage(module, packageName));
    }

    /** {@code Module.isNativeAccessEnabled()}, from JDK 22 on; true before, where JNI needs no grant. */
    private static boolean isNativeAccessEnabled(Module module) {
        Method method;
        try {
            method = Module.class.getMethod("isNativeAccessEnabled");
        } catch (NoSuchMethodException e) {
            return true;
        }
        try {
            return (Boolean) method.invoke(module);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot ask whether native access is enabled for " + module, e);
        }
    }

    /** The module Chronicle runs in: the one the flags must reach. Loads the class without initializing it. */
    private static Module chronicleModule() {
        return net.openhft.chronicle.core.Jvm.class.getModule();
    }

    private static List<String> flags(String key) {
        String value = FLAGS.getProperty(key);
        if (value == null) {
            throw new IllegalStateException(FLAGS_RESOURCE_NAME + " has no " + key);
        }
        String trimmed = value.trim();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = JvmAccess.class.getResourceAsStream(FLAGS_RESOURCE_NAME)) {
            if (in == null) {
                throw new IllegalStateException("resource " + FLAGS_RESOURCE_NAME + " is missing beside " + JvmAccess.class.getName());
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + FLAGS_RESOURCE_NAME, e);
        }
        return properties;
    }

    private record ModulePackage(Module module, String name) {
    }
}
