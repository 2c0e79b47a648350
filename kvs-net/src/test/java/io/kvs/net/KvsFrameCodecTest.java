package io.kvs.net;

import io.kvs.core.CorruptLogException;
import io.kvs.core.KvsEngine;
import io.kvs.core.StorageException;
import io.kvs.net.command.Command;
import io.kvs.net.command.Reply;
import io.kvs.net.command.ServerContext;
import io.kvs.net.command.Session;
import io.kvs.net.protocol.FrameDecoder;
import io.kvs.net.protocol.FrameDescriptor;
import io.kvs.net.protocol.FrameEncoder;
import io.kvs.net.protocol.Request;
import io.kvs.net.protocol.Response;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kvs frames through the command model: every engine failure maps to one error code (corruption is not a storage failure). */
class KvsFrameCodecTest {

    /** An engine whose every operation fails with {@code failure} (its clock works, close does nothing). */
    private static KvsEngine failingWith(RuntimeException failure) {
        return (KvsEngine) java.lang.reflect.Proxy.newProxyInstance(KvsEngine.class.getClassLoader(),
                new Class<?>[] {KvsEngine.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    if (method.getName().equals("clock")) {
                        return Clock.systemUTC();
                    }
                    throw failure;
                });
    }

    /** The response frame the server sends for {@code request} on {@code engine}. */
    private static Response exchange(KvsEngine engine, Request request) {
        ServerContext server = new ServerContext(engine, "test", "0", 0, null);
        Session session = server.open("127.0.0.1:1", "127.0.0.1:2");
        KvsFrameCodec codec = new KvsFrameCodec(new FrameDecoder(FrameDescriptor.MAX_FRAME_BYTES_DEFAULT));
        Command command = codec.decode(ByteBuffer.wrap(FrameEncoder.encodeRequest(request)), session);
        Reply reply = server.runner().execute(session, command);
        ByteBuffer out = ByteBuffer.allocate(codec.size(command, reply, session));
        codec.encode(command, reply, session, out);
        return new FrameDecoder(FrameDescriptor.MAX_FRAME_BYTES_DEFAULT).decodeResponse(out.flip());
    }

    @Test
    void corruptionIsAnsweredWithTheCorruptionCodeNamingTheFile() {
        CorruptLogException corrupt = new CorruptLogException("record checksum mismatch", Path.of("0000000003.log"), 4096);
        Response response = exchange(failingWith(corrupt), Request.get("k"));
        assertEquals(FrameDescriptor.STATUS_ERROR, response.status());
        assertEquals(FrameDescriptor.ERROR_CORRUPTION, response.errorCode());
        assertTrue(response.message().contains("0000000003.log") && response.message().contains("offset=4096"),
                response.message());
    }

    @Test
    void storageFailureKeepsTheStorageCode() {
        Response response = exchange(failingWith(new StorageException("disk full", null)), Request.set("k", "v"));
        assertEquals(FrameDescriptor.ERROR_STORAGE, response.errorCode());
    }
}
