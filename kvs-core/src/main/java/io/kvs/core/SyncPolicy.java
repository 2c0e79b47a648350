package io.kvs.core;

/**
 * When {@code KvStore} forces written data to the storage device. Every policy survives a crash
 * of the process (the data is in the operating system's page cache once a call returns); they
 * differ in what survives a power loss.
 */
public enum SyncPolicy {
    /** Never force explicitly, except when a segment is sealed and on close: the OS decides. */
    NEVER,
    /** Force once a second in the background, like Redis {@code appendfsync everysec}: a power
     * loss may lose about the last second of acknowledged writes. The default. */
    EVERY_SECOND,
    /** A write returns only after its data is forced to the device; concurrent writers share
     * one force (group commit). Nothing acknowledged is lost on power loss. */
    ALWAYS;

    /** The policy's name in options and messages: {@code never}, {@code every-second}, {@code always}. */
    public String optionName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /**
     * The policy whose {@link #optionName()} is {@code name}, ignoring case and surrounding
     * blanks ({@code EVERY_SECOND} is accepted too).
     *
     * @throws IllegalArgumentException naming the valid policies if {@code name} is none of them
     */
    public static SyncPolicy parse(String name) {
        String normalized = name.trim().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        for (SyncPolicy policy : values()) {
            if (policy.optionName().equals(normalized)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("unknown sync policy '" + name + "': expected never, every-second or always");
    }
}
