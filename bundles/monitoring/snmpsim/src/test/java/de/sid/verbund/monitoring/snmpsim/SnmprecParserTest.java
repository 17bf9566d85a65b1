package de.sid.verbund.monitoring.snmpsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snmp4j.smi.Counter32;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Gauge32;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.IpAddress;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.Opaque;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.Variable;

class SnmprecParserTest {
    private static final Path FILE = Path.of("test.snmprec");

    private static SnmprecParser.Result parse(String text) {
        return SnmprecParser.parse(FILE, "test", text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Variable value(SnmprecParser.Result r, String oid) {
        return r.table().get(new OID(oid)).getVariable();
    }

    @Test
    void readsEveryTypeTheRecordingsUse() {
        SnmprecParser.Result r = parse("""
                1.3.6.1.2.1.1.1.0|4|Cisco IOS | with a bar
                1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.9.1.2494
                1.3.6.1.2.1.1.3.0|67|123456789
                1.3.6.1.2.1.2.2.1.5.1|66|1000000000
                1.3.6.1.2.1.2.2.1.6.1|4x|FA163EEE858C
                1.3.6.1.2.1.2.2.1.7.1|2|-2147483648
                1.3.6.1.2.1.2.2.1.10.1|65|4294967295
                1.3.6.1.2.1.4.20.1.1.10.0.0.1|64|10.0.0.1
                1.3.6.1.2.1.4.20.1.1.10.0.0.2|64x|0a000002
                1.3.6.1.2.1.14.2.1.2.0.0.0.16|5|
                1.3.6.1.2.1.31.1.1.1.6.1|70|18446744073709551615
                1.3.6.1.4.1.1.1|68x|9f780441
                1.3.6.1.4.1.1.2|4e|a\\x00b\\n\\\\
                """);
        assertThat(r.problems()).isEmpty();
        assertThat(r.table().size()).isEqualTo(13);
        assertThat(value(r, "1.3.6.1.2.1.1.1.0")).isEqualTo(new OctetString("Cisco IOS | with a bar"));
        assertThat(value(r, "1.3.6.1.2.1.1.2.0")).isEqualTo(new OID("1.3.6.1.4.1.9.1.2494"));
        assertThat(value(r, "1.3.6.1.2.1.1.3.0")).isEqualTo(new TimeTicks(123456789));
        assertThat(value(r, "1.3.6.1.2.1.2.2.1.6.1")).isEqualTo(OctetString.fromHexString("fa:16:3e:ee:85:8c"));
        assertThat(value(r, "1.3.6.1.2.1.2.2.1.7.1")).isEqualTo(new Integer32(Integer.MIN_VALUE));
        assertThat(value(r, "1.3.6.1.2.1.2.2.1.10.1")).isEqualTo(new Counter32(4294967295L));
        assertThat(value(r, "1.3.6.1.2.1.2.2.1.5.1")).isEqualTo(new Gauge32(1000000000));
        assertThat(value(r, "1.3.6.1.2.1.4.20.1.1.10.0.0.1")).isEqualTo(new IpAddress("10.0.0.1"));
        assertThat(value(r, "1.3.6.1.2.1.4.20.1.1.10.0.0.2")).isEqualTo(new IpAddress("10.0.0.2"));
        assertThat(value(r, "1.3.6.1.2.1.14.2.1.2.0.0.0.16")).isEqualTo(new Null());
        assertThat(value(r, "1.3.6.1.2.1.31.1.1.1.6.1")).isEqualTo(new Counter64(-1L));
        assertThat(value(r, "1.3.6.1.4.1.1.1")).isEqualTo(new Opaque(new byte[] {(byte) 0x9f, 0x78, 0x04, 0x41}));
        assertThat(value(r, "1.3.6.1.4.1.1.2")).isEqualTo(new OctetString(new byte[] {'a', 0, 'b', '\n', '\\'}));
    }

    @Test
    void stripsLinesAsSnmpsimDoesAndSkipsCommentsAndBlankLines() {
        SnmprecParser.Result r = parse("# a comment\r\n\r\n  1.3.6.1.2.1.1.5.0|4|  name with spaces  \r\n"
                + "1.3.6.1.2.1.1.6.0|4|\n1.3.6.1.2.1.1.7.0|2| 72");
        assertThat(r.problems()).isEmpty();
        assertThat(value(r, "1.3.6.1.2.1.1.5.0")).isEqualTo(new OctetString("  name with spaces"));
        assertThat(value(r, "1.3.6.1.2.1.1.6.0")).isEqualTo(new OctetString(""));
        assertThat(value(r, "1.3.6.1.2.1.1.7.0")).isEqualTo(new Integer32(72));
    }

    @Test
    void keepsNonAsciiBytesOfPlainStrings() {
        byte[] content = "1.3.6.1.2.1.31.1.1.1.18.1|4|M\u00fcnchen\n".getBytes(StandardCharsets.ISO_8859_1);
        SnmprecParser.Result r = SnmprecParser.parse(FILE, "test", content);
        assertThat(((OctetString) value(r, "1.3.6.1.2.1.31.1.1.1.18.1")).getValue())
                .containsExactly(0x4D, 0xFC, 0x6E, 0x63, 0x68, 0x65, 0x6E);
    }

    @Test
    void oddHexEndsInAHighNibbleAsPyasn1Reads() {
        assertThat(value(parse("1.3.6.1.2.1.1.1.0|4x|ABC\n"), "1.3.6.1.2.1.1.1.0"))
                .isEqualTo(new OctetString(new byte[] {(byte) 0xAB, (byte) 0xC0}));
    }

    @Test
    void reportsWhatItCannotServeWithFileAndLineAndSkipsIt() {
        SnmprecParser.Result r = parse("""
                1.3.6.1.2.1.1.1.0|4|ok
                1.3.6.1.2.1.4.20.1.2.10.xx.xx.100|2|13
                1.3.6.1.2.1.1.2.0|3|unknown type
                1.3.6.1.2.1.1.3.0|2:numeric|rate=3
                1.3.6.1.2.1.1.4.0|2|2147483648
                1.3.6.1.2.1.1.5.0|65|-1
                no bars at all
                1.3.6.1.2.1.1.6.0|5|not empty
                1.3.6.01.2|2|1
                1.3.6.1.2.1.1.7.0|4x|zz
                1.3.6.1.2.1.1.8.0|2|7
                """);
        assertThat(r.table().size()).isEqualTo(2);
        assertThat(r.problems()).extracting(SnmprecProblem::line).containsExactly(2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(r.problems()).allSatisfy(p -> assertThat(p.toString()).startsWith("test.snmprec:")
                .endsWith("line skipped"));
        assertThat(r.problems().get(0).toString())
                .isEqualTo("test.snmprec:2: OID '1.3.6.1.2.1.4.20.1.2.10.xx.xx.100' is not numeric"
                        + " (snmpsimd dies when a request reaches such a line): line skipped");
        assertThat(r.problems().get(1).message()).contains("unsupported type '3'");
        assertThat(r.problems().get(2).message()).contains("variation module");
        assertThat(r.problems().get(3).message()).contains("Integer32 2147483648 is out of range");
        assertThat(r.problems().get(4).message()).contains("Counter32 -1 is out of range");
        assertThat(r.problems().get(5).message()).contains("not a record");
    }

    @Test
    void sortsAndKeepsTheLastOfDuplicatesWithAProblemEach() {
        SnmprecParser.Result r = parse("""
                1.3.6.1.2.1.1.2.0|2|2
                1.3.6.1.2.1.1.10.0|2|10
                1.3.6.1.2.1.1.1.0|2|1
                1.3.6.1.2.1.1.2.0|2|22
                """);
        assertThat(r.table().bindings()).extracting(vb -> vb.getOid().toDottedString())
                .containsExactly("1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.10.0");
        assertThat(value(r, "1.3.6.1.2.1.1.2.0")).isEqualTo(new Integer32(22));
        assertThat(r.problems()).extracting(SnmprecProblem::line).containsExactly(3, 4);
        assertThat(r.problems().get(0).message()).contains("out of order");
        assertThat(r.problems().get(1).message()).contains("duplicate OID 1.3.6.1.2.1.1.2.0");
    }

    /** The shared recordings: all 25 parse; only the anonymised {@code xx} OIDs of one file are skipped. */
    @Test
    void readsEverySharedRecording() throws IOException {
        Path dir = SharedData.snmprecDir();
        DataDirectory data = DataDirectory.load(dir);
        assertThat(data.tables()).hasSize(25).containsKeys("iosxe_c9300", "windows_svr_2019_1809", "netmanplus_204");
        assertThat(data.problems()).hasSize(18).allSatisfy(p -> {
            assertThat(p.file().getFileName()).hasToString("windows_svr_2019_1809.snmprec");
            assertThat(p.message()).contains(".xx.").contains("is not numeric");
        });
        long lines = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".snmprec")).toList()) {
                lines += Files.readAllLines(f, StandardCharsets.ISO_8859_1).stream().filter(l -> !l.isBlank()).count();
            }
        }
        assertThat(data.records()).isEqualTo(lines - 18);
        RecordTable c9300 = data.tables().get("iosxe_c9300");
        assertThat(c9300.get(new OID("1.3.6.1.2.1.1.2.0")).getVariable()).isEqualTo(new OID("1.3.6.1.4.1.9.1.2494"));
        OctetString isrDescr = (OctetString) data.tables().get("iosxe_isr4321").get(new OID("1.3.6.1.2.1.1.1.0")).getVariable();
        assertThat(isrDescr.get(0)).isEqualTo((byte) '"');
    }
}
