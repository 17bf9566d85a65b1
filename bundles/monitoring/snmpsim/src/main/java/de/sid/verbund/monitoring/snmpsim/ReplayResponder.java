package de.sid.verbund.monitoring.snmpsim;

import java.util.ArrayList;
import java.util.List;
import org.snmp4j.PDU;
import org.snmp4j.PDUv1;
import org.snmp4j.asn1.BER;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.SMIConstants;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * What the replay agent answers, request by request: the semantics of Debian's snmpsimd 0.4.5
 * (pysnmp 4.4.12, its default SNMPv3 architecture) over one {@link RecordTable}.
 *
 * <ul>
 *   <li>GET: the record with the OID, else {@code noSuchInstance} (never {@code noSuchObject}).
 *   <li>GETNEXT: the first record after the OID, else {@code endOfMibView} with the OID asked.
 *   <li>GETBULK: non-repeaters as GETNEXT, then max-repetitions rounds of GETNEXT on the last
 *       round's results, capped at {@value #MAX_BULK_VARBINDS} / repeaters rounds (snmpsimd's
 *       {@code --max-varbinds} default). A round past the end repeats {@code endOfMibView};
 *       the answer is not cut short. A request whose answer would be empty (no varbinds, or
 *       max-repetitions 0 and no non-repeaters) gets {@code genErr} with index 1 (0 without
 *       varbinds) and the request's varbinds.
 *   <li>SET: every varbind {@code noSuchInstance}, error status 0: nothing is writable.
 *   <li>SNMPv1 (RFC 2576 as pysnmp does it): a GETNEXT passes over Counter64 records; a
 *       Counter64 in a GET answer, and every exception value, become {@code noSuchName} with
 *       the request's varbinds. The error index is that of the last Counter64 if there is one,
 *       else of the first exception. A GETBULK over SNMPv1 is not answered.
 *   <li>An answer longer than {@value #MAX_MESSAGE_SIZE} bytes is not sent (snmpsimd's
 *       maximum message size; it drops such answers silently).
 * </ul>
 */
public final class ReplayResponder {
    /** snmpsimd's default {@code --max-varbinds}: the cap on a GETBULK answer's repetitions. */
    public static final int MAX_BULK_VARBINDS = 64;
    /** pysnmp's default {@code snmpEngineMaxMessageSize}: longer answers are dropped. */
    public static final int MAX_MESSAGE_SIZE = 65507;

    private ReplayResponder() {
    }

    /**
     * Turns {@code request} into its response, in place.
     *
     * @return the response (the same object as {@code request}), or {@code null} if snmpsimd
     *         would not answer
     */
    public static PDU answer(PDU request, RecordTable table) {
        boolean v1 = request instanceof PDUv1;
        List<? extends VariableBinding> in = request.getVariableBindings();
        List<VariableBinding> out;
        int type = request.getType();
        switch (type) {
            case PDU.GET -> out = get(in, table);
            case PDU.GETNEXT -> out = next(in, 0, in.size(), table, v1);
            case PDU.GETBULK -> {
                if (v1) {
                    return null;
                }
                out = bulk(in, request.getNonRepeaters(), request.getMaxRepetitions(), table);
                if (out.isEmpty()) {
                    request.setType(PDU.RESPONSE);
                    request.setErrorStatus(PDU.genErr);
                    request.setErrorIndex(in.isEmpty() ? 0 : 1);
                    return request;
                }
            }
            case PDU.SET -> {
                out = new ArrayList<>(in.size());
                for (VariableBinding vb : in) {
                    out.add(new VariableBinding(vb.getOid(), Null.noSuchInstance));
                }
            }
            default -> {
                return null;
            }
        }
        request.setType(PDU.RESPONSE);
        request.setErrorStatus(PDU.noError);
        request.setErrorIndex(0);
        if (v1) {
            int index = v1ErrorIndex(out);
            if (index > 0) {
                request.setErrorStatus(PDU.noSuchName);
                request.setErrorIndex(index);
                return request; // keeps the request's varbinds
            }
        }
        request.setVariableBindings(out);
        return request;
    }

    /** The BER length of the whole SNMPv1/v2c message that carries {@code pdu}. */
    public static int messageLength(byte[] community, PDU pdu) {
        int length = pdu.getBERLength() + 3 + community.length + BER.getBERLengthOfLength(community.length) + 1;
        return length + BER.getBERLengthOfLength(length) + 1;
    }

    /** A quick bound: whether the answer may be too long and needs {@link #messageLength}. */
    static boolean mayExceed(PDU response, RecordTable table) {
        long perBinding = table.maxBindingLength() + 64L;
        return response.size() * perBinding + 256 > MAX_MESSAGE_SIZE;
    }

    private static List<VariableBinding> get(List<? extends VariableBinding> in, RecordTable table) {
        List<VariableBinding> out = new ArrayList<>(in.size());
        for (VariableBinding vb : in) {
            VariableBinding found = table.get(vb.getOid());
            out.add(found != null ? found : new VariableBinding(vb.getOid(), Null.noSuchInstance));
        }
        return out;
    }

    private static List<VariableBinding> next(List<? extends VariableBinding> in, int from, int to,
                                              RecordTable table, boolean v1) {
        List<VariableBinding> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            out.add(next(in.get(i).getOid(), table, v1));
        }
        return out;
    }

    private static VariableBinding next(OID oid, RecordTable table, boolean v1) {
        int i = table.higherIndex(oid);
        if (v1) {
            while (i < table.size() && table.isCounter64(i)) {
                i++;
            }
        }
        return i < table.size() ? table.at(i) : new VariableBinding(oid, Null.endOfMibView);
    }

    private static List<VariableBinding> bulk(List<? extends VariableBinding> in, int nonRepeaters,
                                              int maxRepetitions, RecordTable table) {
        int n = in.size();
        int nonRep = Math.min(Math.max(nonRepeaters, 0), n);
        int rounds = Math.max(maxRepetitions, 0);
        int repeaters = n - nonRep;
        if (repeaters > 0) {
            rounds = Math.min(rounds, MAX_BULK_VARBINDS / repeaters);
        }
        List<VariableBinding> out = new ArrayList<>(nonRep + (repeaters > 0 ? repeaters * rounds : 0));
        out.addAll(next(in, 0, nonRep, table, false));
        if (repeaters == 0) {
            return out;
        }
        List<? extends VariableBinding> last = in.subList(nonRep, n);
        for (int r = 0; r < rounds; r++) {
            List<VariableBinding> round = next(last, 0, repeaters, table, false);
            out.addAll(round);
            last = round;
        }
        return out;
    }

    /** RFC 2576 as pysnmp's v2ToV1 does it: scanning from the last varbind to the first. */
    private static int v1ErrorIndex(List<VariableBinding> out) {
        int index = 0;
        for (int i = out.size() - 1; i >= 0; i--) {
            Variable v = out.get(i).getVariable();
            if (v.getSyntax() == SMIConstants.SYNTAX_COUNTER64) {
                return i + 1;
            }
            if (v.isException()) {
                index = i + 1;
            }
        }
        return index;
    }
}
