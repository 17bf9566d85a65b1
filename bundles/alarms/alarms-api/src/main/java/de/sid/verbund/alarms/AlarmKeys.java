package de.sid.verbund.alarms;

import java.util.Map;
import java.util.StringJoiner;

/**
 * De-duplication keys: {@code <type>/<source>[/<label>=<value>,…]}, e.g.
 * {@code interfaceDown/3f2c…/ifIndex=3} or {@code upsOnBattery/3f2c…}. Every producer builds keys
 * this way, so that a trap and a threshold rule reporting the same condition of the same source
 * (a UPS on battery) feed one alarm.
 */
public final class AlarmKeys {
    /** Longest key the store takes. */
    public static final int MAX_LENGTH = 500;

    private AlarmKeys() {
    }

    /**
     * @param type the alarm type
     * @param source the source's id (or its address when it has none)
     * @param instance what part of the source, e.g. {@code ifIndex=3}, in a stable order; empty for the source as a whole
     * @return the key; when longer than {@link #MAX_LENGTH} its tail is replaced by a SHA-256 digest of the whole
     */
    public static String of(String type, String source, Map<String, String> instance) {
        StringBuilder b = new StringBuilder(type).append('/').append(source);
        if (!instance.isEmpty()) {
            StringJoiner j = new StringJoiner(",");
            instance.forEach((k, v) -> j.add(k + "=" + v));
            b.append('/').append(j);
        }
        String key = b.toString();
        if (key.length() <= MAX_LENGTH) {
            return key;
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String hex = java.util.HexFormat.of().formatHex(digest);
            return key.substring(0, MAX_LENGTH - hex.length() - 1) + "#" + hex;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
