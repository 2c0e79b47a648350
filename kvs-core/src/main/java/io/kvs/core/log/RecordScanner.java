package io.kvs.core.log;

/**
 * Walks the records of one segment in order, through a read-ahead window, checking each one's
 * header and checksum (salted as the segment's format says: {@link Segment#checksumSalt}). Used
 * by recovery and repair, which read whole segments sequentially. A record's bytes in
 * {@link #buffer()} are as stored, its checksum salted.
 * The window is filled through the mapping, or with file reads where the scan may run past the
 * allocated blocks (the tail of an unsealed segment: see {@link Segment#readThroughFile}).
 * Confined to one thread.
 */
final class RecordScanner {

    /** What {@link #next()} found. */
    enum Step {
        /** A valid record; its bytes are at {@link #bufferOffset()} in {@link #buffer()}. */
        RECORD,
        /** The scan reached its end exactly. */
        END,
        /** Nothing but zeros where the next header should be: the end of written data. */
        BLANK,
        /** A record that is incomplete, impossible or fails its checksum, at {@link #offset()}. */
        INVALID
    }

    private static final int WINDOW_BYTES = 256 * 1024;

    private final Segment segment;
    private final long end;
    private final boolean throughFile;
    private byte[] window = new byte[WINDOW_BYTES];
    private long windowStart;
    private int windowLength;

    private long offset;
    private int length;
    private int bufferOffset;

    /** Scans {@code segment} from its first record up to {@code end}, through the mapping. */
    RecordScanner(Segment segment, long end) {
        this(segment, end, false);
    }

    /** Scans {@code segment} up to {@code end}; with {@code throughFile}, using file reads. */
    RecordScanner(Segment segment, long end, boolean throughFile) {
        this.segment = segment;
        this.end = end;
        this.throughFile = throughFile;
        this.offset = SegmentHeader.LENGTH;
        this.length = 0;
    }

    /** Advances to the next record. After {@code END}, {@code BLANK} or {@code INVALID} the scan is over. */
    Step next() {
        offset += length;
        length = 0;
        if (offset == end) {
            return Step.END;
        }
        if (offset + RecordDescriptor.HEADER_LENGTH > end) {
            return blankOrInvalid(offset, (int) (end - offset));
        }
        int at = fill(offset, RecordDescriptor.HEADER_LENGTH);
        int recordLength = RecordDescriptor.plausibleLength(window, at);
        if (recordLength < 0) {
            return blankOrInvalid(offset, RecordDescriptor.HEADER_LENGTH);
        }
        if (offset + recordLength > end) {
            return Step.INVALID;
        }
        at = fill(offset, recordLength);
        if (!RecordDescriptor.checksumMatches(window, at, recordLength, segment.checksumSalt())) {
            return blankOrInvalid(offset, RecordDescriptor.HEADER_LENGTH);
        }
        if (RecordDescriptor.type(window, at) == RecordDescriptor.TYPE_BATCH
                && !RecordDescriptor.batchIsWellFormed(window, at, recordLength)) {
            return Step.INVALID;
        }
        length = recordLength;
        bufferOffset = at;
        return Step.RECORD;
    }

    /** Continues the scan at {@code position} (repair, past a damaged region); returns this scanner. */
    RecordScanner resumeAt(long position) {
        offset = position;
        length = 0;
        return this;
    }

    /** True if a complete, valid record starts at {@code position} (below the scan's end). */
    boolean validRecordAt(long position) {
        if (position < SegmentHeader.LENGTH || position + RecordDescriptor.HEADER_LENGTH > end) {
            return false;
        }
        int at = fill(position, RecordDescriptor.HEADER_LENGTH);
        int recordLength = RecordDescriptor.plausibleLength(window, at);
        if (recordLength < 0 || position + recordLength > end) {
            return false;
        }
        at = fill(position, recordLength);
        return RecordDescriptor.checksumMatches(window, at, recordLength, segment.checksumSalt())
                && (RecordDescriptor.type(window, at) != RecordDescriptor.TYPE_BATCH
                || RecordDescriptor.batchIsWellFormed(window, at, recordLength));
    }

    /** The length the header at the current offset announces, or -1 if it is not plausible. */
    int announcedLength() {
        if (offset + RecordDescriptor.HEADER_LENGTH > end) {
            return -1;
        }
        return RecordDescriptor.plausibleLength(window, fill(offset, RecordDescriptor.HEADER_LENGTH));
    }

    /** Offset in the segment of the current record (or of the damage). */
    long offset() {
        return offset;
    }

    /** Length of the current record. */
    int length() {
        return length;
    }

    /** The buffer holding the current record. */
    byte[] buffer() {
        return window;
    }

    /** Where the current record starts in {@link #buffer()}. */
    int bufferOffset() {
        return bufferOffset;
    }

    private Step blankOrInvalid(long position, int headerBytes) {
        int at = fill(position, headerBytes);
        for (int i = 0; i < headerBytes; i++) {
            if (window[at + i] != 0) {
                return Step.INVALID;
            }
        }
        return Step.BLANK;
    }

    /** Makes {@code count} bytes at {@code position} available in the window; returns their index. */
    private int fill(long position, int count) {
        if (position >= windowStart && position + count <= windowStart + windowLength) {
            return (int) (position - windowStart);
        }
        int wanted = (int) Math.min(Math.max(count, WINDOW_BYTES), Math.max(count, end - position));
        if (wanted > window.length) {
            window = new byte[wanted];
        }
        if (throughFile) {
            segment.readThroughFile(position, window, 0, wanted);
        } else {
            segment.read(position, window, 0, wanted);
        }
        windowStart = position;
        windowLength = wanted;
        return 0;
    }
}
