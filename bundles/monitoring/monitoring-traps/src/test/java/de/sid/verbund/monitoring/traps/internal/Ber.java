package de.sid.verbund.monitoring.traps.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-built BER (X.690) for packets no SNMP library would send: long-form lengths, truncations. */
final class Ber {
    private Ber() {
    }

    /** A TLV with the shortest length encoding. */
    static byte[] tlv(int tag, byte[]... content) {
        byte[] body = concat(content);
        return concat(new byte[] {(byte) tag}, shortLength(body.length), body);
    }

    /** A TLV whose length is in long form with {@code lengthBytes} bytes (X.690 8.1.3.5), even when short form would do. */
    static byte[] tlvLong(int tag, int lengthBytes, byte[]... content) {
        byte[] body = concat(content);
        byte[] len = new byte[1 + lengthBytes];
        len[0] = (byte) (0x80 | lengthBytes);
        for (int i = 0; i < lengthBytes; i++) {
            len[lengthBytes - i] = (byte) (body.length >>> (8 * i));
        }
        return concat(new byte[] {(byte) tag}, len, body);
    }

    static byte[] integer(long v) {
        // two's complement, minimal
        byte[] b = java.math.BigInteger.valueOf(v).toByteArray();
        return tlv(0x02, b);
    }

    /** An unsigned application type (Counter32 0x41, Gauge32 0x42, TimeTicks 0x43), minimal. */
    static byte[] unsigned(int tag, long v) {
        byte[] b = java.math.BigInteger.valueOf(v).toByteArray();
        return tlv(tag, b);
    }

    static byte[] octets(String s) {
        return tlv(0x04, s.getBytes(StandardCharsets.ISO_8859_1));
    }

    static byte[] ipAddress(int a, int b, int c, int d) {
        return tlv(0x40, new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    }

    static byte[] oid(String dotted) {
        String[] p = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(p[0]) * 40 + Integer.parseInt(p[1]));
        for (int i = 2; i < p.length; i++) {
            long v = Long.parseLong(p[i]);
            int groups = 1;
            while ((v >>> (7 * groups)) != 0) {
                groups++;
            }
            for (int g = groups - 1; g >= 0; g--) {
                int septet = (int) ((v >>> (7 * g)) & 0x7F);
                out.write(g == 0 ? septet : (septet | 0x80));
            }
        }
        return tlv(0x06, out.toByteArray());
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] shortLength(int n) {
        if (n < 0x80) {
            return new byte[] {(byte) n};
        }
        if (n < 0x100) {
            return new byte[] {(byte) 0x81, (byte) n};
        }
        return new byte[] {(byte) 0x82, (byte) (n >>> 8), (byte) n};
    }

    /**
     * An SNMPv1 Trap-PDU message (RFC 1157 section 4.1.6).
     *
     * @param varbindList the encoded VarBindList SEQUENCE, e.g. {@code tlvLong(0x30, 1)} for an empty one in long form
     */
    static byte[] v1Trap(String community, String enterprise, int[] agentAddr, int generic, int specific, long timeStamp,
                         byte[] varbindList) {
        byte[] pdu = tlv(0xA4, oid(enterprise), ipAddress(agentAddr[0], agentAddr[1], agentAddr[2], agentAddr[3]),
                integer(generic), integer(specific), unsigned(0x43, timeStamp), varbindList);
        return tlv(0x30, integer(0), octets(community), pdu);
    }

    /** An SNMPv2c Trap (0xA7) or InformRequest (0xA6) message (RFC 3416, RFC 1901) with sysUpTime.0 and snmpTrapOID.0 first. */
    static byte[] v2Notification(int pduTag, String community, int requestId, long uptime, String trapOid, byte[]... varbinds) {
        byte[] list = tlv(0x30, concat(
                tlv(0x30, oid("1.3.6.1.2.1.1.3.0"), unsigned(0x43, uptime)),
                tlv(0x30, oid("1.3.6.1.6.3.1.1.4.1.0"), oid(trapOid)),
                concat(varbinds)));
        byte[] pdu = tlv(pduTag, integer(requestId), integer(0), integer(0), list);
        return tlv(0x30, integer(1), octets(community), pdu);
    }

    static byte[] varbind(String oid, byte[] value) {
        return tlv(0x30, oid(oid), value);
    }
}
