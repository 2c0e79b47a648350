package io.kvs.net;

import io.kvs.core.CorruptLogException;
import io.kvs.core.KvsEngine;
import io.kvs.core.StorageException;
import io.kvs.net.protocol.FrameDescriptor;
import io.kvs.net.protocol.Request;
import io.kvs.net.protocol.Response;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every engine failure maps to one error code: corruption is not reported as a storage failure. */
class RequestHandlerTest {

    /** An engine whose every call fails with {@code failure}. */
    private static KvsEngine failingWith(RuntimeException failure) {
        return new KvsEngine() {
            @Override
            public void set(String key, String value) {
                throw failure;
            }

            @Override
            public Optional<String> get(String key) {
                throw failure;
            }

            @Override
            public void remove(String key) {
                throw failure;
            }

            @Override
            public void close() {
            }
        };
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
