package de.sid.verbund.monitoring.smi;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Renders the bytes of an {@code OCTET STRING} as a Java string by its {@linkplain
 * TextualConvention textual convention}. Every result is safe to use as a label value in the
 * Prometheus text exposition, in JSON and in a log line: it is well-formed Unicode (so always
 * valid UTF-8 on the wire) and holds no control characters, so no line break from a device can
 * end up in a line of output.
 *
 * <h2>DisplayString</h2>
 * RFC 2579 defines {@code DisplayString} as NVT ASCII, RFC 3411's {@code SnmpAdminString} as
 * UTF-8, and real devices send whatever their firmware has: UTF-8, ISO-8859-1 ("M\xFCnchen"),
 * Windows code pages, C strings padded with NUL bytes. The rule:
 * <ol>
 *   <li>trailing NUL bytes are dropped;</li>
 *   <li>the bytes are decoded as UTF-8 if they are valid UTF-8 (strict: no replacement
 *       characters, no overlong forms or encoded surrogates);</li>
 *   <li>otherwise as ISO-8859-1, which maps every byte to the character of the same number and
 *       so never fails: {@code 4D FC 6E 63 68 65 6E} becomes {@code München};</li>
 *   <li>each control character (Unicode category Cc: U+0000 to U+001F, U+007F to U+009F) and
 *       each line or paragraph separator (U+2028, U+2029) is replaced by {@code \xNN} or
 *       a backslash, {@code u} and four digits, its code point in lower-case hex: a tab becomes {@code \x09}, a new line
 *       {@code \x0a}.</li>
 * </ol>
 * The result is for display and labels, not reversible (a literal backslash is kept as it
 * is, so Windows paths in {@code hrStorageDescr} stay readable).
 *
 * <h2>PhysAddress, MacAddress</h2>
 * Lower-case hex bytes joined by colons, any length: {@code FA 16 3E EE 85 8C} becomes
 * {@code fa:16:3e:ee:85:8c}; no bytes give {@code ""}.
 *
 * <h2>DateAndTime</h2>
 * RFC 2579's 8 or 11 bytes as ISO 8601: {@code 2024-03-31T02:30:00.0} or, with the time zone
 * bytes, {@code 2024-03-31T02:30:00.0+02:00}. Bytes that are not a valid DateAndTime (wrong
 * length, month 13, …) are rendered as {@link TextualConvention#HEX HEX}.
 *
 * <h2>HEX</h2>
 * {@code 0x} and upper-case hex digits ({@code 0x4DFC}); no bytes give {@code ""}.
 */
public final class OctetStrings {
    private static final HexFormat LOWER = HexFormat.of();
    private static final HexFormat UPPER = HexFormat.of().withUpperCase();
    private static final HexFormat MAC = HexFormat.ofDelimiter(":");

    private OctetStrings() {
    }

    /**
     * @param bytes the octet string's bytes
     * @param convention its textual convention
     * @return the rendering described in the class documentation; never null
     */
    public static String render(byte[] bytes, TextualConvention convention) {
        return switch (convention) {
            case DISPLAY_STRING -> displayString(bytes);
            case PHYS_ADDRESS -> physAddress(bytes);
            case DATE_AND_TIME -> dateAndTime(bytes);
            case HEX -> hex(bytes);
        };
    }

    /**
     * @param value an octet string
     * @param convention its textual convention
     * @return {@link #render(byte[], TextualConvention)} of its bytes
     */
    public static String render(SnmpValue.OctetString value, TextualConvention convention) {
        return render(value.bytes(), convention);
    }

    /**
     * @param bytes a DisplayString's bytes
     * @return UTF-8 if valid, else ISO-8859-1; trailing NULs dropped, control characters as
     *         {@code \xNN} (see the class documentation)
     */
    public static String displayString(byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, end))
                    .toString();
        } catch (CharacterCodingException e) {
            text = new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
        }
        return escapeControls(text);
    }

    /**
     * @param bytes a PhysAddress or MacAddress
     * @return lower-case hex bytes joined by colons ({@code fa:16:3e:ee:85:8c}), {@code ""} for none
     */
    public static String physAddress(byte[] bytes) {
        return MAC.formatHex(bytes);
    }

    /**
     * @param bytes any bytes
     * @return {@code 0x} and upper-case hex ({@code 0x4DFC6E}), {@code ""} for none
     */
    public static String hex(byte[] bytes) {
        return bytes.length == 0 ? "" : "0x" + UPPER.formatHex(bytes);
    }

    /**
     * @param bytes an RFC 2579 DateAndTime (8 or 11 bytes)
     * @return ISO 8601, e.g. {@code 2024-03-31T02:30:00.0+02:00}; {@link #hex(byte[])} if the
     *         bytes are not a valid DateAndTime
     */
    public static String dateAndTime(byte[] bytes) {
        if (bytes.length != 8 && bytes.length != 11) {
            return hex(bytes);
        }
        int year = ((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF);
        int month = bytes[2] & 0xFF;
        int day = bytes[3] & 0xFF;
        int hour = bytes[4] & 0xFF;
        int minute = bytes[5] & 0xFF;
        int second = bytes[6] & 0xFF;
        int decis = bytes[7] & 0xFF;
        // RFC 2579: month 1..12, day 1..31, hour 0..23, minutes 0..59, seconds 0..60 (leap second), deci-seconds 0..9
        if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60 || decis > 9) {
            return hex(bytes);
        }
        StringBuilder b = new StringBuilder(32);
        b.append(String.format(Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:%02d.%d", year, month, day, hour, minute, second, decis));
        if (bytes.length == 11) {
            char direction = (char) (bytes[8] & 0xFF);
            int offHours = bytes[9] & 0xFF;
            int offMinutes = bytes[10] & 0xFF;
            // RFC 2579: direction '+' or '-', hours 0..13 (RFC 2579 errata: up to 14), minutes 0..59
            if ((direction != '+' && direction != '-') || offHours > 14 || offMinutes > 59) {
                return hex(bytes);
            }
            b.append(direction).append(String.format(Locale.ROOT, "%02d:%02d", offHours, offMinutes));
        }
        return b.toString();
    }

    private static String escapeControls(String text) {
        int first = -1;
        for (int i = 0; i < text.length(); i++) {
            if (mustEscape(text.charAt(i))) {
                first = i;
                break;
            }
        }
        if (first < 0) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length() + 8);
        b.append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!mustEscape(c)) {
                b.append(c);
            } else if (c <= 0xFF) {
                b.append("\\x").append(LOWER.toHexDigits((byte) c));
            } else {
                b.append("\\u").append(LOWER.toHexDigits(c));
            }
        }
        return b.toString();
    }

    private static boolean mustEscape(char c) {
        return Character.getType(c) == Character.CONTROL || c == '\u2028' || c == '\u2029';
    }
}
