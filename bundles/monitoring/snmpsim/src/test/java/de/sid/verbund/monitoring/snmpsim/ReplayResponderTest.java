package de.sid.verbund.monitoring.snmpsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.snmp4j.PDU;
import org.snmp4j.PDUv1;
import org.snmp4j.smi.Counter32;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.VariableBinding;

/** The answers without a network: snmpsimd's semantics over a small table. */
class ReplayResponderTest {
    private static final RecordTable TABLE = SnmprecParser.parse(Path.of("t.snmprec"), "t", """
            1.3.6.1.2.1.1.1.0|4|descr
            1.3.6.1.2.1.1.3.0|67|100
            1.3.6.1.2.1.31.1.1.1.6.1|70|5000000000
            1.3.6.1.2.1.31.1.1.1.6.2|70|6000000000
            1.3.6.1.2.1.31.1.1.1.7.1|65|7
            1.3.6.1.2.1.31.1.1.1.10.1|70|9
            """.getBytes(StandardCharsets.US_ASCII)).table();

    private static final OID DESCR = new OID("1.3.6.1.2.1.1.1.0");
    private static final OID UPTIME = new OID("1.3.6.1.2.1.1.3.0");
    private static final OID HC_IN_1 = new OID("1.3.6.1.2.1.31.1.1.1.6.1");
    private static final OID LAST = new OID("1.3.6.1.2.1.31.1.1.1.10.1");

    private static PDU v2(int type, OID... oids) {
        PDU pdu = new PDU();
        pdu.setType(type);
        for (OID oid : oids) {
            pdu.add(new VariableBinding(oid));
        }
        return pdu;
    }

    private static PDU v1(int type, OID... oids) {
        PDU pdu = new PDUv1();
        pdu.setType(type);
        for (OID oid : oids) {
            pdu.add(new VariableBinding(oid));
        }
        return pdu;
    }

    private static PDU bulk(int nonRepeaters, int maxRepetitions, OID... oids) {
        PDU pdu = v2(PDU.GETBULK, oids);
        pdu.setNonRepeaters(nonRepeaters);
        pdu.setMaxRepetitions(maxRepetitions);
        return pdu;
    }

    private static List<VariableBinding> vbs(PDU pdu) {
        return new ArrayList<>(pdu.getVariableBindings());
    }

    private static PDU answer(PDU request) {
        return ReplayResponder.answer(request, TABLE);
    }

    @Test
    void getAnswersTheRecordOrNoSuchInstanceNeverNoSuchObject() {
        PDU r = answer(v2(PDU.GET, DESCR, new OID("1.3.6.1.2.1.1.99.0"), new OID("1.3.6.1.2.1.1")));
        assertThat(r.getType()).isEqualTo(PDU.RESPONSE);
        assertThat(r.getErrorStatus()).isZero();
        assertThat(vbs(r)).containsExactly(
                new VariableBinding(DESCR, new OctetString("descr")),
                new VariableBinding(new OID("1.3.6.1.2.1.1.99.0"), Null.noSuchInstance),
                new VariableBinding(new OID("1.3.6.1.2.1.1"), Null.noSuchInstance));
    }

    @Test
    void getNextAnswersTheFollowingRecordOrEndOfMibViewWithTheOidAsked() {
        PDU r = answer(v2(PDU.GETNEXT, new OID("1.3"), DESCR, LAST, new OID("2.9")));
        assertThat(vbs(r)).containsExactly(
                new VariableBinding(DESCR, new OctetString("descr")),
                new VariableBinding(UPTIME, new TimeTicks(100)),
                new VariableBinding(LAST, Null.endOfMibView),
                new VariableBinding(new OID("2.9"), Null.endOfMibView));
    }

    @Test
    void getBulkRepeatsEndOfMibViewRatherThanStoppingShort() {
        PDU r = answer(bulk(1, 3, DESCR, new OID("1.3.6.1.2.1.31.1.1.1.7")));
        assertThat(vbs(r)).extracting(VariableBinding::getOid).containsExactly(
                UPTIME, new OID("1.3.6.1.2.1.31.1.1.1.7.1"), LAST, LAST);
        assertThat(r.get(2).getVariable()).isEqualTo(new Counter64(9));
        assertThat(r.get(3).getVariable()).isEqualTo(Null.endOfMibView);
    }

    @Test
    void getBulkIsCappedAt64VarbindsOverTheRepeaters() {
        assertThat(answer(bulk(0, 100, new OID("1.3"))).size()).isEqualTo(64);
        assertThat(answer(bulk(1, 50, new OID("1.3"), new OID("1.3"), new OID("1.3"), new OID("1.3"))).size())
                .isEqualTo(1 + 3 * 21);
        OID[] many = new OID[65];
        java.util.Arrays.fill(many, new OID("1.3"));
        PDU r = answer(bulk(0, 5, many));
        assertThat(r.getErrorStatus()).isEqualTo(PDU.genErr);
        assertThat(r.getErrorIndex()).isEqualTo(1);
    }

    @Test
    void anEmptyGetBulkAnswerIsGenErrWithTheRequestsVarbinds() {
        PDU r = answer(bulk(0, 0, DESCR));
        assertThat(r.getErrorStatus()).isEqualTo(PDU.genErr);
        assertThat(r.getErrorIndex()).isEqualTo(1);
        assertThat(vbs(r)).containsExactly(new VariableBinding(DESCR));
        PDU none = answer(bulk(0, 10));
        assertThat(none.getErrorStatus()).isEqualTo(PDU.genErr);
        assertThat(none.getErrorIndex()).isZero();
        assertThat(vbs(answer(bulk(2, 0, DESCR, UPTIME)))).extracting(VariableBinding::getOid)
                .containsExactly(UPTIME, HC_IN_1);
    }

    @Test
    void setChangesNothingAndAnswersNoSuchInstance() {
        PDU set = v2(PDU.SET);
        set.add(new VariableBinding(DESCR, new OctetString("new")));
        PDU r = answer(set);
        assertThat(r.getErrorStatus()).isZero();
        assertThat(vbs(r)).containsExactly(new VariableBinding(DESCR, Null.noSuchInstance));
        assertThat(TABLE.get(DESCR).getVariable()).isEqualTo(new OctetString("descr"));
    }

    @Test
    void v1GetNextPassesOverCounter64() {
        PDU r = answer(v1(PDU.GETNEXT, UPTIME));
        assertThat(r.getErrorStatus()).isZero();
        assertThat(vbs(r)).containsExactly(
                new VariableBinding(new OID("1.3.6.1.2.1.31.1.1.1.7.1"), new Counter32(7)));
    }

    @Test
    void v1EndOfMibAndCounter64BecomeNoSuchNameWithTheRequestsVarbinds() {
        PDU end = answer(v1(PDU.GETNEXT, DESCR, new OID("1.3.6.1.2.1.31.1.1.1.7.1")));
        assertThat(end.getErrorStatus()).isEqualTo(PDU.noSuchName);
        assertThat(end.getErrorIndex()).isEqualTo(2);
        assertThat(vbs(end)).containsExactly(
                new VariableBinding(DESCR), new VariableBinding(new OID("1.3.6.1.2.1.31.1.1.1.7.1")));

        PDU get = answer(v1(PDU.GET, DESCR, HC_IN_1));
        assertThat(get.getErrorStatus()).isEqualTo(PDU.noSuchName);
        assertThat(get.getErrorIndex()).isEqualTo(2);
    }

    /** pysnmp scans from the last varbind: the last Counter64 wins over an earlier missing OID. */
    @Test
    void v1ErrorIndexIsTheLastCounter64ElseTheFirstException() {
        OID missing = new OID("1.3.6.1.2.1.1.99.0");
        assertThat(answer(v1(PDU.GET, missing, DESCR, HC_IN_1, UPTIME)).getErrorIndex()).isEqualTo(3);
        assertThat(answer(v1(PDU.GET, DESCR, missing, UPTIME, missing)).getErrorIndex()).isEqualTo(2);
        assertThat(answer(v1(PDU.GET, DESCR, UPTIME)).getErrorStatus()).isZero();
    }

    @Test
    void v1GetBulkIsNotAnswered() {
        PDU pdu = new PDUv1();
        pdu.setType(PDU.GETBULK);
        assertThat(ReplayResponder.answer(pdu, TABLE)).isNull();
    }

    @Test
    void anAnswerLongerThanPysnmpsMaximumIsDetected() {
        String big = "x".repeat(1200);
        RecordTable table = SnmprecParser.parse(Path.of("big.snmprec"), "big",
                java.util.stream.IntStream.range(1, 70).mapToObj(i -> "1.3.6.1.4.1.99." + i + "|4|" + big)
                        .reduce("", (a, b) -> a + b + "\n").getBytes(StandardCharsets.US_ASCII)).table();
        PDU small = ReplayResponder.answer(bulk(0, 10, new OID("1.3")), table);
        assertThat(ReplayResponder.messageLength("big".getBytes(StandardCharsets.US_ASCII), small))
                .isLessThan(ReplayResponder.MAX_MESSAGE_SIZE);
        PDU large = ReplayResponder.answer(bulk(0, 64, new OID("1.3")), table);
        assertThat(ReplayResponder.mayExceed(large, table)).isTrue();
        assertThat(ReplayResponder.messageLength("big".getBytes(StandardCharsets.US_ASCII), large))
                .isGreaterThan(ReplayResponder.MAX_MESSAGE_SIZE);
        assertThat(large.size()).isEqualTo(64);
    }

    @Test
    void valuesAreSharedNotCopied() {
        assertThat(answer(v2(PDU.GET, DESCR)).get(0)).isSameAs(TABLE.get(DESCR));
    }
}
