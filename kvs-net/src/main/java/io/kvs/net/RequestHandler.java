package io.kvs.net;

import io.kvs.core.CorruptLogException;
import io.kvs.core.EngineClosedException;
import io.kvs.core.InvalidStringException;
import io.kvs.core.KeyNotFoundException;
import io.kvs.core.KvsEngine;
import io.kvs.core.KvsException;
import io.kvs.core.LimitExceededException;
import io.kvs.net.protocol.FrameDescriptor;
import io.kvs.net.protocol.Request;
import io.kvs.net.protocol.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Runs one request against the engine and turns the outcome into a response: every failure
 * becomes an ERROR response with a code a client can act on, so a request can never take the
 * server down. Thread-safe (the engine is).
 */
final class RequestHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RequestHandler.class);

    private final KvsEngine engine;

    RequestHandler(KvsEngine engine) {
        this.engine = engine;
    }

    Response handle(Request request) {
        try {
            return switch (request.opcode()) {
                case FrameDescriptor.OP_SET -> {
                    engine.set(request.key(), request.value());
                    yield Response.ok();
                }
                case FrameDescriptor.OP_GET -> {
                    Optional<String> value = engine.get(request.key());
                    yield value.isPresent() ? Response.value(value.get()) : Response.notFound();
                }
                case FrameDescriptor.OP_REMOVE -> {
                    try {
                        engine.remove(request.key());
                        yield Response.ok();
                    } catch (KeyNotFoundException e) {
                        yield Response.notFound();
                    }
                }
                case FrameDescriptor.OP_PING -> Response.ok();
                default -> Response.error(FrameDescriptor.ERROR_BAD_REQUEST,
                        "unknown opcode " + FrameDescriptor.opName(request.opcode()));
            };
        } catch (LimitExceededException | InvalidStringException e) {
            return Response.error(FrameDescriptor.ERROR_LIMIT_EXCEEDED, e.getMessage());
        } catch (EngineClosedException e) {
            return Response.error(FrameDescriptor.ERROR_UNAVAILABLE, "server is shutting down");
        } catch (CorruptLogException e) {
            LOG.error("{} found corrupt data: {}", FrameDescriptor.opName(request.opcode()), e.getMessage());
            return Response.error(FrameDescriptor.ERROR_CORRUPTION, e.getMessage());
        } catch (KvsException e) {
            LOG.error("{} failed: {}", FrameDescriptor.opName(request.opcode()), e.getMessage());
            return Response.error(FrameDescriptor.ERROR_STORAGE, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("{} failed unexpectedly", FrameDescriptor.opName(request.opcode()), e);
            return Response.error(FrameDescriptor.ERROR_INTERNAL, "internal error: " + e);
        }
    }
}
