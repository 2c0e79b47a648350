package io.kvs.net.command;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The server's password, for the one user there is, {@code default}. {@link #matches} compares
 * in constant time, so the time a wrong guess takes says nothing about how close it was.
 */
public final class Credentials {

    /** The only user name: Redis's default user. */
    public static final String DEFAULT_USER = "default";
    private static final byte[] DEFAULT_USER_BYTES = DEFAULT_USER.getBytes(StandardCharsets.US_ASCII);

    private final byte[] password;

    private Credentials(byte[] password) {
        this.password = password;
    }

    /** Credentials for {@code password} (copied). */
    public static Credentials of(byte[] password) {
        if (password.length == 0) {
            throw new IllegalArgumentException("the password must not be empty");
        }
        return new Credentials(password.clone());
    }

    /** True if {@code user} (null: the default user) and {@code password} are right. */
    public boolean matches(byte[] user, byte[] password) {
        boolean userMatches = user == null || Arrays.equals(user, DEFAULT_USER_BYTES);
        // MessageDigest.isEqual takes time that depends on the lengths only, not on where the bytes differ.
        boolean passwordMatches = MessageDigest.isEqual(this.password, password);
        return userMatches & passwordMatches;
    }

    @Override
    public String toString() {
        return "Credentials{password=<hidden>}";
    }
}
