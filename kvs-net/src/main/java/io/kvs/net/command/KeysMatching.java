package io.kvs.net.command;

import io.kvs.core.KvsLimits;
import io.kvs.core.ScanPage;

import java.util.ArrayList;
import java.util.List;

/** KEYS pattern: every key matching the glob pattern (a full scan: for small key spaces and debugging, as in Redis). */
public record KeysMatching(byte[] pattern) implements DataCommand {

    static KeysMatching parse(Arguments args) {
        return new KeysMatching(args.bytes(1));
    }

    @Override
    public Reply apply(Keys keys) {
        Glob glob = Glob.of(pattern);
        byte[] prefix = glob.literalPrefix();
        List<Reply> found = new ArrayList<>();
        long cursor = ScanPage.DONE;
        do {
            ScanPage page = keys.scan(cursor, KvsLimits.DEFAULT_SCAN_COUNT, prefix);
            for (byte[] key : page.keys()) {
                if (glob.matchesEverything() || glob.matches(key)) {
                    found.add(new Reply.Bulk(key));
                }
            }
            cursor = page.cursor();
        } while (cursor != ScanPage.DONE);
        return new Reply.Array(found);
    }

    @Override
    public List<byte[]> arguments() {
        return ArgumentList.command("KEYS").add(pattern).build();
    }

    @Override
    public boolean writes() {
        return false;
    }
}
