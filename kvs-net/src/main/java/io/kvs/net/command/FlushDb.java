package io.kvs.net.command;

import io.kvs.core.KvsLimits;
import io.kvs.core.ScanPage;

import java.util.ArrayList;
import java.util.List;

/**
 * FLUSHDB and FLUSHALL [ASYNC | SYNC]: removes every key, a page of keys per atomic batch, and
 * answers OK once done (ASYNC is accepted and done synchronously). Unlike Redis's, it is not one
 * atomic step: a key written by another client while it runs may survive it.
 */
public record FlushDb() implements DataCommand {

    private static final byte[] NO_PREFIX = new byte[0];

    static FlushDb parse(Arguments args) {
        if (args.count() > 2 || args.count() == 2 && !args.is(1, "async") && !args.is(1, "sync")) {
            throw InvalidCommandException.syntax();
        }
        return new FlushDb();
    }

    @Override
    public Reply apply(Keys keys) {
        long cursor = ScanPage.DONE;
        do {
            ScanPage page = keys.scan(cursor, KvsLimits.DEFAULT_SCAN_COUNT, NO_PREFIX);
            List<byte[]> found = new ArrayList<>(page.keys());
            if (!found.isEmpty()) {
                keys.atomically(inside -> {
                    for (byte[] key : found) {
                        inside.delete(key);
                    }
                    return null;
                });
            }
            cursor = page.cursor();
        } while (cursor != ScanPage.DONE);
        return Reply.OK;
    }

    @Override
    public List<byte[]> arguments() {
        return ArgumentList.command("FLUSHDB").build();
    }

    @Override
    public boolean writes() {
        return true;
    }
}
