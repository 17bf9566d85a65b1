package de.sid.verbund.monitoring.traps.internal;

import static de.sid.verbund.monitoring.traps.internal.Ber.integer;
import static de.sid.verbund.monitoring.traps.internal.Ber.oid;
import static de.sid.verbund.monitoring.traps.internal.Ber.tlv;
import static de.sid.verbund.monitoring.traps.internal.Ber.varbind;
import static org.assertj.core.api.Assertions.assertThat;

import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.monitoring.trap.TrapEvents;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Well-known names (RFC 3418, RFC 2863, RFC 1628 UPS-MIB) in SNMPv1 and SNMPv2c form, and any other
 * trap kept as raw with its varbinds rendered safely. Real UDP on loopback, packets built by hand.
 */
class TrapMappingTest {
    private static final String UPS_ALARM_DESCR = "1.3.6.1.2.1.33.1.6.2.1.2";
    private static final String UPS_ALARM_ID = "1.3.6.1.2.1.33.1.6.2.1.1";
    private final TrapFixture traps = new TrapFixture();

    @BeforeEach
    void start() {
        traps.community("public");
        traps.start();
    }

    @AfterEach
    void stop() {
        traps.close();
    }

    private DomainEvent v2(String trapOid, byte[]... varbinds) {
        int before = traps.events().size();
        traps.send(Ber.v2Notification(0xA7, "public", 1, 500, trapOid, varbinds));
        return traps.awaitEvents(before + 1);
    }

    private DomainEvent v1(String enterprise, int generic, int specific, byte[]... varbinds) {
        int before = traps.events().size();
        traps.send(Ber.v1Trap("public", enterprise, new int[] {10, 0, 0, 9}, generic, specific, 4242,
                tlv(0x30, Ber.concat(varbinds))));
        return traps.awaitEvents(before + 1);
    }

    private static byte[] upsAlarm(int id, String alarm) {
        return Ber.concat(varbind(UPS_ALARM_ID + "." + id, integer(id)), varbind(UPS_ALARM_DESCR + "." + id, oid(alarm)));
    }

    @Test
    void upsTrapsAreMappedInBothForms() {
        assertThat(v2("1.3.6.1.2.1.33.2.1").payload()).containsEntry(TrapEvents.TRAP, TrapEvents.UPS_ON_BATTERY);
        assertThat(v2("1.3.6.1.2.1.33.2.3", upsAlarm(4, "1.3.6.1.2.1.33.1.6.3.3")).payload())
                .containsEntry(TrapEvents.TRAP, TrapEvents.UPS_BATTERY_LOW);
        assertThat(v2("1.3.6.1.2.1.33.2.4", upsAlarm(4, "1.3.6.1.2.1.33.1.6.3.3")).payload())
                .containsEntry(TrapEvents.TRAP, TrapEvents.UPS_BATTERY_LOW_CLEARED);
        assertThat(v2("1.3.6.1.2.1.33.2.3", upsAlarm(5, "1.3.6.1.2.1.33.1.6.3.2")).payload())
                .containsEntry(TrapEvents.TRAP, TrapEvents.UPS_ON_BATTERY);
        assertThat(v2("1.3.6.1.2.1.33.2.4", upsAlarm(5, "1.3.6.1.2.1.33.1.6.3.2")).payload())
                .containsEntry(TrapEvents.TRAP, TrapEvents.UPS_ON_BATTERY_CLEARED);
        // another alarm (upsAlarmFanFailure) added: not one of ours, kept raw
        DomainEvent fan = v2("1.3.6.1.2.1.33.2.3", upsAlarm(6, "1.3.6.1.2.1.33.1.6.3.10"));
        assertThat(fan.payload()).containsEntry(TrapEvents.TRAP, TrapEvents.RAW);
        assertThat(TrapFixture.varbinds(fan)).extracting(v -> v.get("value")).containsExactly("6", "1.3.6.1.2.1.33.1.6.3.10");

        // SNMPv1 (RFC 1628's traps as an SNMPv1 agent sends them): enterprise upsTraps, specific n -> upsTraps.0.n
        DomainEvent onBattery = v1("1.3.6.1.2.1.33.2", 6, 1);
        assertThat(onBattery.payload()).containsEntry(TrapEvents.TRAP, TrapEvents.UPS_ON_BATTERY)
                .containsEntry(TrapEvents.TRAP_OID, "1.3.6.1.2.1.33.2.0.1").containsEntry(TrapEvents.UPTIME, 4242L);
        assertThat(v1("1.3.6.1.2.1.33.2", 6, 3, upsAlarm(7, "1.3.6.1.2.1.33.1.6.3.3")).payload())
                .containsEntry(TrapEvents.TRAP, TrapEvents.UPS_BATTERY_LOW);
        assertThat(traps.metrics().receivedCount(TrapEvents.UPS_ON_BATTERY)).isEqualTo(3);
    }

    @Test
    void v1GenericTrapsBecomeSnmpTrapsByRfc3584() {
        assertThat(v1("1.3.6.1.4.1.9.1.1", 1, 0).payload()).containsEntry(TrapEvents.TRAP, TrapEvents.WARM_START)
                .containsEntry(TrapEvents.TRAP_OID, "1.3.6.1.6.3.1.1.5.2");
        DomainEvent down = v1("1.3.6.1.4.1.9.1.1", 2, 0, varbind("1.3.6.1.2.1.2.2.1.1.5", integer(5)));
        assertThat(down.payload()).containsEntry(TrapEvents.TRAP, TrapEvents.LINK_DOWN).containsEntry(TrapEvents.IF_INDEX, 5);
        assertThat(v1("1.3.6.1.4.1.9.1.1", 4, 0).payload()).containsEntry(TrapEvents.TRAP, TrapEvents.AUTHENTICATION_FAILURE)
                .containsEntry(TrapEvents.TRAP_OID, "1.3.6.1.6.3.1.1.5.5");
        // enterpriseSpecific: enterprise.0.specific
        DomainEvent cisco = v1("1.3.6.1.4.1.9.9.41.2", 6, 1);
        assertThat(cisco.payload()).containsEntry(TrapEvents.TRAP, TrapEvents.RAW)
                .containsEntry(TrapEvents.TRAP_OID, "1.3.6.1.4.1.9.9.41.2.0.1");
        assertThat(v2("1.3.6.1.6.3.1.1.5.5").payload()).containsEntry(TrapEvents.TRAP, TrapEvents.AUTHENTICATION_FAILURE);
    }

    @Test
    void unknownTrapIsRawWithEveryVarbindRenderedSafely() {
        DomainEvent e = v2("1.3.6.1.4.1.318.0.5",
                varbind("1.3.6.1.4.1.318.2.3.1.0", tlv(0x04, new byte[] {0x4D, (byte) 0xFC, 0x6E, 0x63, 0x68, 0x65, 0x6E})),
                varbind("1.3.6.1.4.1.318.2.3.2.0", tlv(0x04, new byte[] {(byte) 0xFA, 0x16, 0x3E, (byte) 0xEE, (byte) 0x85, (byte) 0x8C})),
                varbind("1.3.6.1.4.1.318.2.3.3.0", tlv(0x04, "line1\nline2\u0085".getBytes(java.nio.charset.StandardCharsets.UTF_8))),
                varbind("1.3.6.1.4.1.318.2.3.4.0", tlv(0x46, new byte[] {0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                        (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF})),
                varbind("1.3.6.1.4.1.318.2.3.5.0", Ber.unsigned(0x41, 4_294_967_295L)),
                varbind("1.3.6.1.4.1.318.2.3.6.0", Ber.ipAddress(10, 1, 2, 3)),
                varbind("1.3.6.1.4.1.318.2.3.7.0", integer(-17)),
                varbind("1.3.6.1.4.1.318.2.3.8.0", tlv(0x05)),
                varbind("1.3.6.1.4.1.318.2.3.9.0", tlv(0x04, new byte[] {'o', 'k', 0, 0})));

        assertThat(e.payload()).containsEntry(TrapEvents.TRAP, TrapEvents.RAW)
                .containsEntry(TrapEvents.TRAP_OID, "1.3.6.1.4.1.318.0.5").containsEntry(TrapEvents.UPTIME, 500L);
        List<Map<String, Object>> vbs = TrapFixture.varbinds(e);
        assertThat(vbs).extracting(v -> v.get("type") + ":" + v.get("value")).containsExactly(
                "OctetString:München",
                "OctetString:0xFA163EEE858C",
                "OctetString:line1\\x0aline2\\x85",
                "Counter64:18446744073709551615",
                "Counter32:4294967295",
                "IpAddress:10.1.2.3",
                "Integer32:-17",
                "Null:",
                "OctetString:ok");
        assertThat(vbs.get(0)).containsEntry("oid", "1.3.6.1.4.1.318.2.3.1.0");
        assertThat(traps.metrics().receivedCount(TrapEvents.RAW)).isEqualTo(1);
    }

    @Test
    void notificationWithoutSnmpTrapOidAndNonNotificationPdusAreDropped() {
        // a Trap PDU with only sysUpTime.0
        byte[] list = tlv(0x30, varbind("1.3.6.1.2.1.1.3.0", Ber.unsigned(0x43, 1)));
        traps.send(tlv(0x30, integer(1), Ber.octets("public"), tlv(0xA7, integer(1), integer(0), integer(0), list)));
        traps.awaitDropped(DropReason.MALFORMED, 1);
        // a GetRequest sent to the trap port
        traps.send(tlv(0x30, integer(1), Ber.octets("public"), tlv(0xA0, integer(2), integer(0), integer(0),
                tlv(0x30, varbind("1.3.6.1.2.1.1.1.0", tlv(0x05))))));
        traps.awaitDropped(DropReason.NOT_A_NOTIFICATION, 1);
        // an SNMPv1 trap with generic-trap 9
        traps.send(Ber.v1Trap("public", "1.3.6.1.4.1.1", new int[] {10, 0, 0, 1}, 9, 0, 1, tlv(0x30)));
        traps.awaitDropped(DropReason.MALFORMED, 2);

        assertThat(v2("1.3.6.1.6.3.1.1.5.1").payload()).containsEntry(TrapEvents.TRAP, TrapEvents.COLD_START);
        assertThat(traps.events()).hasSize(1);
    }
}
