package io.kvs.net;

import io.kvs.net.protocol.FrameEncoder;
import io.kvs.net.protocol.Request;
import io.kvs.net.protocol.Response;

import java.util.List;

/**
 * A batch of requests written to the server together and answered in order: one round trip
 * for the whole batch. Build it with the request methods, then {@link #execute()}. Errors come
 * back as ERROR {@link Response}s in their place rather than exceptions, so one bad request does
 * not hide the others' results. Not thread-safe; belongs to its {@link KvsClient}.
 */
public final class Pipeline {

    private final KvsClient client;
    private int queued;

    Pipeline(KvsClient client) {
        this.client = client;
    }

    /** Queues a SET. */
    public Pipeline set(String key, String value) {
        return add(Request.set(key, value));
    }

    /** Queues a GET. */
    public Pipeline get(String key) {
        return add(Request.get(key));
    }

    /** Queues a REMOVE. */
    public Pipeline remove(String key) {
        return add(Request.remove(key));
    }

    /** Queues a PING. */
    public Pipeline ping() {
        return add(Request.ping());
    }

    /** Queues any request. */
    public Pipeline add(Request request) {
        client.send(FrameEncoder.encodeRequest(request));
        queued++;
        return this;
    }

    /** Requests queued and not yet executed. */
    public int size() {
        return queued;
    }

    /** Sends the queued requests and returns their responses in request order; the pipeline is then empty. */
    public List<Response> execute() {
        client.flush();
        int count = queued;
        queued = 0;
        return KvsClient.receive(client, count);
    }
}
