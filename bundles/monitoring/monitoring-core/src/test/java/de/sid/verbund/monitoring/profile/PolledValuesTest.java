package de.sid.verbund.monitoring.profile;

import static org.assertj.core.api.Assertions.assertThat;

import de.sid.verbund.monitoring.PollRequest;
import de.sid.verbund.monitoring.PollResult;
import de.sid.verbund.monitoring.WalkEnd;
import de.sid.verbund.monitoring.WalkResult;
import de.sid.verbund.monitoring.smi.Oid;
import de.sid.verbund.monitoring.smi.SnmpValue;
import de.sid.verbund.monitoring.smi.VarBind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolledValuesTest {
    static final Oid IF_DESCR = Oid.parse("1.3.6.1.2.1.2.2.1.2");
    static final Oid IF_NAME = Oid.parse("1.3.6.1.2.1.31.1.1.1.1");
    static final Oid SYS_DESCR = Oid.parse("1.3.6.1.2.1.1.1.0");
    static final Oid SYS_OBJECT_ID = Oid.parse("1.3.6.1.2.1.1.2.0");

    @SafeVarargs
    static PollResult poll(Map<Oid, SnmpValue> scalars, SnmpValue sysUpTime, List<VarBind>... walks) {
        Map<Oid, WalkResult> w = new LinkedHashMap<>();
        for (List<VarBind> rows : walks) {
            Oid root = rows.get(0).oid();
            w.put(root, new WalkResult(root, rows, WalkEnd.END_OF_SUBTREE, "", 1));
        }
        return new PollResult("d", true, sysUpTime, scalars, w, Instant.EPOCH, Duration.ZERO, 1, 1, Optional.empty());
    }

    static SnmpValue text(String s) {
        return SnmpValue.OctetString.ofUtf8(s);
    }

    @Test
    void everyValueInOidOrderWhateverOrderTheyWereReadIn() {
        Map<Oid, SnmpValue> scalars = new LinkedHashMap<>();
        scalars.put(SYS_OBJECT_ID, new SnmpValue.ObjectIdentifier(Oid.parse("1.3.6.1.4.1.9")));
        scalars.put(SYS_DESCR, text("switch"));
        PollResult p = poll(scalars, new SnmpValue.TimeTicks(42),
                List.of(new VarBind(IF_NAME.append(1), text("Gi1")), new VarBind(IF_NAME.append(2), text("Gi2"))),
                List.of(new VarBind(IF_DESCR.append(1), text("one")), new VarBind(IF_DESCR.append(10), text("ten"))));

        PolledValues v = PolledValues.of(p);

        List<Oid> order = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            order.add(v.oid(i));
        }
        assertThat(order).containsExactly(SYS_DESCR, SYS_OBJECT_ID, PollRequest.SYS_UP_TIME, IF_DESCR.append(1),
                IF_DESCR.append(10), IF_NAME.append(1), IF_NAME.append(2));
        assertThat(v.get(IF_DESCR.append(10))).isEqualTo(text("ten"));
        assertThat(v.get(IF_DESCR.append(2))).isNull();
        assertThat(v.get(PollRequest.SYS_UP_TIME)).isEqualTo(new SnmpValue.TimeTicks(42));
    }

    @Test
    void aSubtreeIsTheRunAfterItsRoot() {
        PollResult p = poll(Map.of(), SnmpValue.NO_SUCH_OBJECT,
                List.of(new VarBind(IF_DESCR.append(1), text("one")), new VarBind(IF_DESCR.append(2), text("two"))),
                List.of(new VarBind(IF_NAME.append(1), text("Gi1"))));
        PolledValues v = PolledValues.of(p);

        int at = v.firstAfter(IF_DESCR);
        assertThat(v.oid(at)).isEqualTo(IF_DESCR.append(1));
        assertThat(v.oid(at + 1)).isEqualTo(IF_DESCR.append(2));
        assertThat(v.oid(at + 2).startsWith(IF_DESCR)).isFalse();
        // a root read itself is not part of its subtree; past the last OID is the end
        assertThat(v.firstAfter(IF_DESCR.append(1))).isEqualTo(at + 1);
        assertThat(v.firstAfter(Oid.parse("1.3.6.1.2.1.99"))).isEqualTo(v.size());
    }

    @Test
    void anOidReadTwiceKeepsTheLaterReading() {
        Map<Oid, SnmpValue> scalars = new LinkedHashMap<>();
        scalars.put(SYS_DESCR, text("from the GET"));
        scalars.put(PollRequest.SYS_UP_TIME, new SnmpValue.TimeTicks(1));
        PollResult p = poll(scalars, new SnmpValue.TimeTicks(2),
                List.of(new VarBind(SYS_DESCR, text("from the walk")), new VarBind(SYS_OBJECT_ID, text("x"))));

        PolledValues v = PolledValues.of(p);

        assertThat(v.size()).isEqualTo(3);
        assertThat(v.get(SYS_DESCR)).isEqualTo(text("from the walk"));
        assertThat(v.get(PollRequest.SYS_UP_TIME)).isEqualTo(new SnmpValue.TimeTicks(2));
    }
}
