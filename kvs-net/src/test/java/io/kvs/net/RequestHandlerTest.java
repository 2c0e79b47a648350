package io.kvs.net;

import io.kvs.core.CorruptLogException;
import io.kvs.core.KvsEngine;
import io.kvs.core.StorageException;
import io.kvs.net.protocol.FrameDescriptor;
import io.kvs.net.protocol.Request;
import io.kvs.net.protocol.Response;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every engine failure maps to one error code: corruption is not reported as a storage failure. */
class RequestHandlerTest {

    /** An engine whose every call fails with {@code failure}. */
    /** An engine whose every operation fails with {@code failure} (close does nothing). */
    private static KvsEngine failingWith(RuntimeException failure) {
        return (KvsEngine) java.lang.reflect.Proxy.newProxyInstance(KvsEngine.class.getClassLoader(),
                new Class<?>[] {KvsEngine.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    throw failure;
                });
    }

    @Test
    void corruptionIsAnsweredWithTheCorruptionCodeNamingTheFile() {
        CorruptLogException corrupt = new CorruptLogException("record checksum mismatch", Path.of("0000000003.log"), 4096);
        Response response = new RequestHandler(failingWith(corrupt)).handle(Request.get("k"));
        assertEquals(FrameDescriptor.STATUS_ERROR, response.status());
        assertEquals(FrameDescriptor.ERROR_CORRUPTION, response.errorCode());
        assertTrue(response.message().contains("0000000003.log") && response.message().contains("offset=4096"),
                response.message());
    }

    @Test
    void storageFailureKeepsTheStorageCode() {
        Response response = new RequestHandler(failingWith(new StorageException("disk full", null)))
                .handle(Request.set("k", "v"));
        assertEquals(FrameDescriptor.ERROR_STORAGE, response.errorCode());
    }
}
