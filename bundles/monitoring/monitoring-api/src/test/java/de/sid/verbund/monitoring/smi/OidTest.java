package de.sid.verbund.monitoring.smi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class OidTest {

    @Test
    void parsesAndPrintsDottedDecimal() {
        Oid oid = Oid.parse(".1.3.6.1.2.1.1.3.0");
        assertThat(oid).hasToString("1.3.6.1.2.1.1.3.0");
        assertThat(oid.size()).isEqualTo(9);
        assertThat(oid).isEqualTo(Oid.of(1, 3, 6, 1, 2, 1, 1, 3, 0)).hasSameHashCodeAs(Oid.of(1, 3, 6, 1, 2, 1, 1, 3, 0));
    }

    @Test
    void subIdentifiersAreUnsigned32Bit() {
        Oid big = Oid.parse("1.3.4294967295");
        assertThat(big.arc(2)).isEqualTo(4294967295L);
        assertThat(big).hasToString("1.3.4294967295").isEqualTo(Oid.of(1, 3, -1));
        assertThatThrownBy(() -> Oid.parse("1.3.4294967296")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4294967296");
    }

    @Test
    void rejectsMalformedText() {
        for (String bad : new String[] {"", ".", "1..3", "1.3.", "1.a.3", "1.-3", " 1.3", "1.3.99999999999"}) {
            assertThatThrownBy(() -> Oid.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Oid.of(new int[129])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ordersLexicographicallyWithUnsignedArcsAndPrefixesFirst() {
        List<Oid> oids = new ArrayList<>(List.of(
                Oid.parse("1.3.6.1.2.1.2.2.1.2.10"),
                Oid.parse("1.3.6.1.2.1.2.2.1.2.4294967295"),
                Oid.parse("1.3.6.1.2.1.2.2.1.2"),
                Oid.parse("1.3.6.1.2.1.2.2.1.2.9"),
                Oid.parse("1.3.6.1.2.1.2.2.1.2.9.1"),
                Oid.parse("1.3.6.1.2.1.2.2.1.3.1")));
        Collections.shuffle(oids);
        Collections.sort(oids);
        assertThat(oids).extracting(Oid::toString).containsExactly(
                "1.3.6.1.2.1.2.2.1.2",
                "1.3.6.1.2.1.2.2.1.2.9",
                "1.3.6.1.2.1.2.2.1.2.9.1",
                "1.3.6.1.2.1.2.2.1.2.10",
                "1.3.6.1.2.1.2.2.1.2.4294967295",
                "1.3.6.1.2.1.2.2.1.3.1");
    }

    @Test
    void prefixesAndSuffixes() {
        Oid column = Oid.parse("1.3.6.1.2.1.2.2.1.2");
        Oid cell = column.append(7);
        assertThat(cell).hasToString("1.3.6.1.2.1.2.2.1.2.7");
        assertThat(cell.startsWith(column)).isTrue();
        assertThat(column.startsWith(cell)).isFalse();
        assertThat(cell.startsWith(cell)).isTrue();
        assertThat(Oid.parse("1.3.6.1.2.1.2.2.1.20").startsWith(column)).isFalse();
        assertThat(cell.suffixAfter(column)).isEqualTo(Oid.of(7));
        assertThat(column.append(Oid.parse("1.2.3.4"))).hasToString("1.3.6.1.2.1.2.2.1.2.1.2.3.4");
        assertThatThrownBy(() -> column.suffixAfter(column)).isInstanceOf(IllegalArgumentException.class);
    }
}
