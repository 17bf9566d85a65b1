package de.sid.verbund.monitoring.smi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class OctetStringsTest {

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    @Test
    void macAddressIsLowerCaseHexWithColons() {
        assertThat(OctetStrings.render(hex("FA 16 3E EE 85 8C"), TextualConvention.PHYS_ADDRESS)).isEqualTo("fa:16:3e:ee:85:8c");
        assertThat(OctetStrings.physAddress(new byte[0])).isEmpty();
        assertThat(OctetStrings.physAddress(hex("00 00 5e 00 53 01 ff fe"))).isEqualTo("00:00:5e:00:53:01:ff:fe");
    }

    @Test
    void latin1IfAliasIsReadAsIso88591() {
        assertThat(OctetStrings.render(hex("4D FC 6E 63 68 65 6E"), TextualConvention.DISPLAY_STRING)).isEqualTo("München");
    }

    @Test
    void validUtf8IsReadAsUtf8() {
        byte[] utf8 = "Zittau – Uplink Görlitz ✓".getBytes(StandardCharsets.UTF_8);
        assertThat(OctetStrings.displayString(utf8)).isEqualTo("Zittau – Uplink Görlitz ✓");
        assertThat(OctetStrings.displayString("München".getBytes(StandardCharsets.UTF_8))).isEqualTo("München");
    }

    @Test
    void invalidUtf8FormsFallBackToLatin1() {
        // an overlong "/" (C0 AF) and an encoded surrogate (ED A0 80) are not valid UTF-8
        assertThat(OctetStrings.displayString(hex("41 C0 AF"))).isEqualTo("A\u00c0\u00af");
        assertThat(OctetStrings.displayString(hex("ED A0 80"))).isEqualTo("\u00ed\u00a0\\x80");
        // a truncated multi-byte sequence at the end
        assertThat(OctetStrings.displayString(hex("47 C3"))).isEqualTo("G\u00c3");
    }

    @Test
    void controlCharactersAreEscapedAndTrailingNulsDropped() {
        assertThat(OctetStrings.displayString("line1\nline2\tx\r".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("line1\\x0aline2\\x09x\\x0d");
        assertThat(OctetStrings.displayString(hex("65 74 68 30 00 00 00"))).isEqualTo("eth0");
        assertThat(OctetStrings.displayString(hex("61 00 62 7F"))).isEqualTo("a\\x00b\\x7f");
        assertThat(OctetStrings.displayString("a\u2028b\u0085".getBytes(StandardCharsets.UTF_8))).isEqualTo("a\\u2028b\\x85");
        // backslashes and quotes are kept: escaping them is the exposition writer's job
        assertThat(OctetStrings.displayString("C:\\ Label:\"System\"".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("C:\\ Label:\"System\"");
        assertThat(OctetStrings.displayString(new byte[0])).isEmpty();
    }

    @Test
    void everyByteSequenceGivesWellFormedText() {
        java.util.Random random = new java.util.Random(4);
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[random.nextInt(40)];
            random.nextBytes(b);
            String s = OctetStrings.displayString(b);
            assertThat(s.codePoints()).noneMatch(cp -> Character.getType(cp) == Character.CONTROL
                    || Character.getType(cp) == Character.SURROGATE || cp == 0x2028 || cp == 0x2029);
            assertThat(new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(s);
        }
    }

    @Test
    void hexIsPrefixedUpperCase() {
        assertThat(OctetStrings.render(hex("4D FC 6E"), TextualConvention.HEX)).isEqualTo("0x4DFC6E");
        assertThat(OctetStrings.hex(new byte[0])).isEmpty();
    }

    @Test
    void dateAndTimeAsIso8601() {
        // RFC 2579's example: 1992-5-26,13:30:15.0,-4:0
        assertThat(OctetStrings.render(hex("07 C8 05 1A 0D 1E 0F 00 2D 04 00"), TextualConvention.DATE_AND_TIME))
                .isEqualTo("1992-05-26T13:30:15.0-04:00");
        assertThat(OctetStrings.dateAndTime(hex("07 E8 03 1F 02 1E 00 05"))).isEqualTo("2024-03-31T02:30:00.5");
        // month 13 and a wrong length are not dates: shown as hex
        assertThat(OctetStrings.dateAndTime(hex("07 E8 0D 1F 02 1E 00 05"))).isEqualTo("0x07E80D1F021E0005");
        assertThat(OctetStrings.dateAndTime(hex("07 E8 03"))).isEqualTo("0x07E803");
    }
}
