package de.sid.verbund.security.shiro.internal;

import de.sid.verbund.core.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Password hashing with bcrypt (Bouncy Castle's {@link OpenBSDBCrypt}, {@code $2y$} strings with
 * a random 16-byte salt), and SHA-256 for high-entropy API token secrets.
 */
final class Passwords {
    /** bcrypt reads at most 72 bytes of a password. */
    static final int MAX_PASSWORD_BYTES = 72;
    static final int MIN_PASSWORD_LENGTH = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int cost;

    Passwords(int cost) {
        if (cost < 4 || cost > 16) {
            throw new IllegalArgumentException("bcrypt cost must be 4..16, was " + cost);
        }
        this.cost = cost;
    }

    /**
     * @throws ProblemException BAD_REQUEST when the password is too short or too long
     */
    static void validate(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw ProblemException.badRequest("password must have at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw ProblemException.badRequest("password must not be longer than " + MAX_PASSWORD_BYTES + " bytes (UTF-8)");
        }
    }

    String hash(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, cost);
    }

    static boolean matches(String hash, String password) {
        if (hash == null || password == null || password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            return false;
        }
        try {
            return OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** @return a new web session secret: 32 random bytes, URL-safe Base64, prefixed {@code vbs_} */
    static String newSessionSecret() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return "vbs_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** @return a new API token secret: 32 random bytes, URL-safe Base64, prefixed {@code vbt_} */
    static String newTokenSecret() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return "vbt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
