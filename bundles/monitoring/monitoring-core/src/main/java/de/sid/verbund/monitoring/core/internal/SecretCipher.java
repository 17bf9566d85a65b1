package de.sid.verbund.monitoring.core.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encryption of stored secrets (communities, USM passphrases) with AES-256-GCM (NIST SP 800-38D)
 * from the JDK: a random 96-bit nonce per value, a 128-bit tag, and associated data naming the
 * table, row and column, so a value copied into another row or column does not decrypt. A stored
 * value is the base64 of nonce, ciphertext and tag.
 *
 * <p>The key is 256 random bits in a key file: one line of base64, comment lines starting with
 * {@code #}. {@link #loadOrCreate(Path)} makes one on first use, readable by the owner only
 * (0600). Its key id, the first 8 bytes of the key's SHA-256 in hex, is stored with every value,
 * so a value is never decrypted with another key: a wrong key file is named as such instead of
 * giving garbage (GCM's tag would also refuse it).
 */
final class SecretCipher {
    private static final Logger LOG = LoggerFactory.getLogger(SecretCipher.class);
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final String keyId;
    private final String source;

    private SecretCipher(byte[] key, String source) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException(source + ": an AES-256 key has 32 bytes, not " + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
        this.keyId = keyId(key);
        this.source = source;
    }

    /** @return a cipher with a fresh random key that lives only in memory (tests, and callers that keep no secrets) */
    static SecretCipher ephemeral() {
        byte[] k = new byte[KEY_BYTES];
        RANDOM.nextBytes(k);
        return new SecretCipher(k, "a key in memory");
    }

    /**
     * Reads the key file, or creates it with a new random key (owner read/write only where the
     * file system has POSIX permissions; a warning names a key file others may read).
     *
     * @param file the key file, e.g. {@code etc/verbund-credentials.key}
     * @return the cipher with that key
     * @throws IllegalStateException if the file cannot be read or created, or holds no valid key
     *         (the message names the file and what is wrong, never the key)
     */
    static SecretCipher loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            return load(file);
        } catch (IOException e) {
            throw new IllegalStateException("credential key file " + file + " cannot be read or created: " + e, e);
        }
    }

    private static void create(Path file) throws IOException {
        byte[] k = new byte[KEY_BYTES];
        RANDOM.nextBytes(k);
        String id = keyId(k);
        String text = "# Verbund credential key: AES-256 key of the SNMP communities and passphrases stored in the\n"
                + "# database (table monitoring_credential). Keep it secret; back it up apart from the database,\n"
                + "# which is of no use without it; every node of a cluster needs this same file.\n"
                + "# key id " + id + "\n"
                + Base64.getEncoder().encodeToString(k) + "\n";
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        List<FileAttribute<?>> attributes = new ArrayList<>();
        if (posix) {
            attributes.add(PosixFilePermissions.asFileAttribute(EnumSet.of(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE)));
        }
        try (FileChannel out = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                attributes.toArray(FileAttribute<?>[]::new))) {
            out.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
            out.force(true);
        } catch (FileAlreadyExistsException e) {
            return; // made by another starter at the same moment: use that one
        } finally {
            Arrays.fill(k, (byte) 0);
        }
        LOG.info("Credential key file {} created (key id {}); back it up apart from the database", file, id);
    }

    private static SecretCipher load(Path file) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("Credential key file {} can be read by others ({}): chmod 600 it", file,
                        PosixFilePermissions.toString(p));
            }
        }
        List<String> keyLines = Files.readAllLines(file, StandardCharsets.US_ASCII).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        byte[] k;
        try {
            if (keyLines.size() != 1) {
                throw new IllegalArgumentException(keyLines.size() + " lines that are not comments");
            }
            k = Base64.getDecoder().decode(keyLines.get(0));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("credential key file " + file + " is damaged: it needs one line with the "
                    + "base64 of a 32-byte AES-256 key (" + e.getMessage() + ")");
        }
        if (k.length != KEY_BYTES) {
            throw new IllegalStateException("credential key file " + file + " is damaged: its key has " + k.length
                    + " bytes, an AES-256 key 32");
        }
        try {
            return new SecretCipher(k, "key file " + file);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    private static String keyId(byte[] key) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key);
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** @return 16 hex digits naming the key (the start of its SHA-256), safe to show and store */
    String keyId() {
        return keyId;
    }

    /** @return where the key came from, e.g. {@code key file /opt/verbund/etc/verbund-credentials.key} */
    String source() {
        return source;
    }

    /**
     * @param plaintext the secret; null stays null
     * @param context what the value belongs to, e.g. {@code monitoring_credential/<id>/community}
     * @return base64 of nonce, ciphertext and tag
     */
    String encrypt(String plaintext, String context) {
        if (plaintext == null) {
            return null;
        }
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce)
                    .put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available in this JDK: " + e, e);
        }
    }

    /**
     * @param stored what {@link #encrypt} returned; null stays null
     * @param context the same context as when encrypting
     * @return the secret
     * @throws IllegalStateException if the value does not decrypt with this key and context
     *         (altered, damaged, copied from elsewhere); the message names the context, no secret
     */
    String decrypt(String stored, String context) {
        if (stored == null) {
            return null;
        }
        try {
            byte[] all = Base64.getDecoder().decode(stored);
            if (all.length < NONCE_BYTES + TAG_BITS / 8) {
                throw new IllegalArgumentException("too short");
            }
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException | IllegalArgumentException e) {
            throw new IllegalStateException(context + " does not decrypt with key " + keyId
                    + ": the stored value was altered, damaged or copied from another row", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available in this JDK: " + e, e);
        }
    }

    @Override
    public String toString() {
        return "SecretCipher[" + keyId + ", " + source + "]";
    }
}
