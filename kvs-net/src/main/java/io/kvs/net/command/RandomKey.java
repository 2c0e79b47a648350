package io.kvs.net.command;

import io.kvs.core.ScanPage;

import java.util.concurrent.ThreadLocalRandom;
import java.util.List;

/**
 * RANDOMKEY: a key picked at a random scan position (the first key at or after it, wrapping
 * around), or null if there are none. Keys are not equally likely: one after a wide gap in the
 * scan order is picked more often.
 */
public record RandomKey() implements DataCommand {

    private static final byte[] NO_PREFIX = new byte[0];
    private static final int PAGE = 16;

    static RandomKey parse(Arguments args) {
        return new RandomKey();
    }

    @Override
    public Reply apply(Keys keys) {
        if (keys.size() == 0) {
            return Reply.NULL;
        }
        long start = ThreadLocalRandom.current().nextLong();
        long cursor = start == ScanPage.DONE ? 1 : start;
        boolean wrapped = false;
        while (true) {
            ScanPage page = keys.scan(cursor, PAGE, NO_PREFIX);
            if (!page.keys().isEmpty()) {
                return new Reply.Bulk(page.keys().get(0));
            }
            if (page.done()) {
                if (wrapped) {
                    return Reply.NULL;
                }
                wrapped = true;
            }
            cursor = page.cursor();
        }
    }

    @Override
    public List<byte[]> arguments() {
        return ArgumentList.command("RANDOMKEY").build();
    }

    @Override
    public boolean writes() {
        return false;
    }
}
