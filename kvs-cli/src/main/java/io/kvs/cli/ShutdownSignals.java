package io.kvs.cli;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;

/**
 * Turns SIGTERM and SIGINT into a graceful stop that exits 0. A JVM shutdown hook alone would
 * run too, but the JVM then exits with 128 + the signal number. The handler is
 * {@code sun.misc.Signal} from the {@code jdk.unsupported} module (present on every JDK this
 * project runs on), reached by reflection because javac flags it as internal API; if it is
 * missing, a shutdown hook does the same work and the exit code is the JVM's.
 */
final class ShutdownSignals {

    private ShutdownSignals() {
    }

    /** Calls {@code stop} with the signal's name, on a new thread, when SIGTERM or SIGINT arrives. */
    static void install(Consumer<String> stop) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Constructor<?> newSignal = signalClass.getConstructor(String.class);
            Method getName = signalClass.getMethod("getName");
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            Object handler = Proxy.newProxyInstance(ShutdownSignals.class.getClassLoader(), new Class<?>[]{handlerClass},
                    (proxy, method, args) -> {
                        if (method.getName().equals("handle") && args != null && args.length == 1) {
                            String name = "SIG" + getName.invoke(args[0]);
                            new Thread(() -> stop.accept(name), "kvs-shutdown").start();
                            return null;
                        }
                        if (method.getName().equals("toString")) {
                            return "kvs shutdown handler";
                        }
                        if (method.getName().equals("hashCode")) {
                            return System.identityHashCode(proxy);
                        }
                        if (method.getName().equals("equals")) {
                            return proxy == args[0];
                        }
                        return null;
                    });
            for (String name : new String[]{"TERM", "INT"}) {
                handle.invoke(null, newSignal.newInstance(name), handler);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop.accept("shutdown"), "kvs-shutdown"));
        }
    }
}
