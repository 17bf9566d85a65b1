package de.sid.verbund.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import de.sid.verbund.monitoring.RateOutcome.NoRate;
import de.sid.verbund.monitoring.RateOutcome.Rate;
import de.sid.verbund.monitoring.RateOutcome.Reason;
import de.sid.verbund.monitoring.smi.SnmpValue;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CounterRatesTest {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final double NO_LIMIT = Double.POSITIVE_INFINITY;

    private static CounterSample c64(long value, long upTime, int second) {
        return CounterSample.of(new SnmpValue.Counter64(value), new SnmpValue.TimeTicks(upTime), T0.plusSeconds(second));
    }

    private static CounterSample c32(long value, long upTime, int second) {
        return CounterSample.of(new SnmpValue.Counter32(value), new SnmpValue.TimeTicks(upTime), T0.plusSeconds(second));
    }

    /** Issue 4: ifHCInOctets every 60 s; the agent restarts between the first and second poll. */
    @Test
    void resetGivesNoRateThenTheNextPollAgainTenThousandOctetsPerSecond() {
        RateTracker<String> tracker = new RateTracker<>();
        RateOutcome first = tracker.update("sw-1/ifHCInOctets.1", c64(9_000_000_000L, 50_000_000, 0), NO_LIMIT);
        RateOutcome second = tracker.update("sw-1/ifHCInOctets.1", c64(1_200_000, 3_000, 60), NO_LIMIT);
        RateOutcome third = tracker.update("sw-1/ifHCInOctets.1", c64(1_800_000, 9_000, 120), NO_LIMIT);

        assertThat(first).isInstanceOfSatisfying(NoRate.class, n -> assertThat(n.reason()).isEqualTo(Reason.FIRST_SAMPLE));
        assertThat(second).isInstanceOfSatisfying(NoRate.class, n -> {
            assertThat(n.reason()).isEqualTo(Reason.RESET);
            assertThat(n.detail()).contains("sysUpTime went back from 50000000 to 3000");
        });
        assertThat(third).isInstanceOfSatisfying(Rate.class, r -> {
            assertThat(r.perSecond()).isEqualTo(10_000.0);
            assertThat(r.delta()).isEqualTo(600_000);
            assertThat(r.seconds()).isEqualTo(60.0);
            assertThat(r.wrapped()).isFalse();
        });
        assertThat(tracker.resets()).isEqualTo(1);
        assertThat(tracker.rates()).isEqualTo(1);
    }

    /** Issue 4: a Counter32 wraps once in 60 s. */
    @Test
    void counter32WrapIsOneTurnOfTwoToThe32() {
        RateOutcome out = CounterRates.compute(c32(4_294_000_000L, 100_000, 0), c32(1_000_000, 106_000, 60), NO_LIMIT);
        assertThat(out).isInstanceOfSatisfying(Rate.class, r -> {
            assertThat(r.delta()).isEqualTo(1_967_296);
            assertThat(r.perSecond()).isCloseTo(32_788.27, within(0.005));
            assertThat(String.format(java.util.Locale.ROOT, "%.2f", r.perSecond())).isEqualTo("32788.27");
            assertThat(r.wrapped()).isTrue();
        });
    }

    @Test
    void counter32WrapWithoutSysUpTimeUsesTheWallClock() {
        CounterSample before = CounterSample.of(new SnmpValue.Counter32(4_294_000_000L), SnmpValue.NO_SUCH_OBJECT, T0);
        CounterSample after = CounterSample.of(new SnmpValue.Counter32(1_000_000), SnmpValue.NO_SUCH_OBJECT, T0.plusSeconds(60));
        assertThat(CounterRates.compute(before, after, NO_LIMIT))
                .isInstanceOfSatisfying(Rate.class, r -> assertThat(r.perSecond()).isCloseTo(32_788.27, within(0.005)));
    }

    @Test
    void counter64GoingDownIsAResetEvenWithoutSysUpTime() {
        CounterSample before = CounterSample.of(new SnmpValue.Counter64(5_000), SnmpValue.NO_SUCH_INSTANCE, T0);
        CounterSample after = CounterSample.of(new SnmpValue.Counter64(4_000), SnmpValue.NO_SUCH_INSTANCE, T0.plusSeconds(60));
        assertThat(CounterRates.compute(before, after, NO_LIMIT)).isInstanceOfSatisfying(NoRate.class, n -> {
            assertThat(n.reason()).isEqualTo(Reason.RESET);
            assertThat(n.detail()).isEqualTo("Counter64 went back from 5000 to 4000");
        });
    }

    @Test
    void counter64AboveTwoToThe63IsUnsigned() {
        long high = Long.MIN_VALUE + 10; // 2^63 + 10 as unsigned
        RateOutcome out = CounterRates.compute(c64(high, 1_000, 0), c64(high + 6_000, 7_000, 60), NO_LIMIT);
        assertThat(out).isInstanceOfSatisfying(Rate.class, r -> assertThat(r.perSecond()).isEqualTo(100.0));
    }

    @Test
    void rateAboveTheInterfaceSpeedIsDiscardedAndCounted() {
        RateTracker<String> tracker = new RateTracker<>();
        double fastEthernet = CounterRates.maxOctetsPerSecond(100_000_000L, 100); // 12.5 MB/s
        tracker.update("if1", c64(0, 0, 0), fastEthernet);
        // 1 GB in 60 s is 16.7 MB/s: more than 100 Mbit/s can carry
        RateOutcome spike = tracker.update("if1", c64(1_000_000_000L, 6_000, 60), fastEthernet);
        assertThat(spike).isInstanceOfSatisfying(NoRate.class, n -> {
            assertThat(n.reason()).isEqualTo(Reason.ABOVE_MAXIMUM);
            assertThat(n.detail()).isEqualTo("16666666.67/s is above the maximum 12500000.00/s");
        });
        assertThat(tracker.discardedAboveMaximum()).isEqualTo(1);
        // the spike's sample is the new baseline: the next interval is measured from it
        RateOutcome next = tracker.update("if1", c64(1_060_000_000L, 12_000, 120), fastEthernet);
        assertThat(next).isInstanceOfSatisfying(Rate.class, r -> assertThat(r.perSecond()).isEqualTo(1_000_000.0));
        // exactly the line rate is plausible
        RateOutcome full = tracker.update("if1", c64(1_060_000_000L + 750_000_000L, 18_000, 180), fastEthernet);
        assertThat(full).isInstanceOfSatisfying(Rate.class, r -> assertThat(r.perSecond()).isEqualTo(12_500_000.0));
    }

    @Test
    void interfaceSpeedFromIfSpeedOrIfHighSpeed() {
        assertThat(CounterRates.maxOctetsPerSecond(1_544_000, 2)).isEqualTo(193_000.0); // T1: ifSpeed is exact
        assertThat(CounterRates.maxOctetsPerSecond(4_294_967_295L, 10_000)).isEqualTo(1.25e9); // 10G: ifHighSpeed
        assertThat(CounterRates.maxOctetsPerSecond(0, 0)).isInfinite(); // unknown: no limit
        assertThat(CounterRates.maxOctetsPerSecond(4_294_967_295L, 0)).isInfinite();
    }

    @Test
    void sysUpTimeWrapAfter497DaysIsNotAReset() {
        long nearMax = CounterRates.TWO_POW_32 - 3_000; // 30 s before TimeTicks wrap
        RateOutcome out = CounterRates.compute(c64(1_000_000, nearMax, 0), c64(1_600_000, 3_000, 60), NO_LIMIT);
        assertThat(out).isInstanceOfSatisfying(Rate.class, r -> {
            assertThat(r.seconds()).isEqualTo(60.0);
            assertThat(r.perSecond()).isEqualTo(10_000.0);
        });
    }

    @Test
    void discontinuityTimeChangeAndTypeChangeAreResets() {
        Instant t1 = T0.plusSeconds(60);
        CounterSample a = new CounterSample(new SnmpValue.Counter64(100), new SnmpValue.TimeTicks(1_000), T0, new SnmpValue.TimeTicks(0));
        CounterSample b = new CounterSample(new SnmpValue.Counter64(200), new SnmpValue.TimeTicks(7_000), t1, new SnmpValue.TimeTicks(6_500));
        assertThat(CounterRates.compute(a, b, NO_LIMIT)).isInstanceOfSatisfying(NoRate.class,
                n -> assertThat(n.reason()).isEqualTo(Reason.RESET));
        assertThat(CounterRates.compute(c32(100, 1_000, 0), c64(200, 7_000, 60), NO_LIMIT)).isInstanceOfSatisfying(NoRate.class,
                n -> assertThat(n.reason()).isEqualTo(Reason.RESET));
    }

    @Test
    void absentCounterDropsTheBaselineAndSameUpTimeKeepsIt() {
        RateTracker<String> tracker = new RateTracker<>();
        tracker.update("if9", c64(1_000, 1_000, 0), NO_LIMIT);
        RateOutcome same = tracker.update("if9", c64(1_000, 1_000, 0), NO_LIMIT);
        assertThat(same).isInstanceOfSatisfying(NoRate.class, n -> assertThat(n.reason()).isEqualTo(Reason.NO_ELAPSED_TIME));
        assertThat(tracker.update("if9", c64(7_000, 7_000, 60), NO_LIMIT))
                .isInstanceOfSatisfying(Rate.class, r -> assertThat(r.perSecond()).isEqualTo(100.0));

        RateOutcome gone = tracker.update("if9", CounterSample.of(SnmpValue.NO_SUCH_INSTANCE, new SnmpValue.TimeTicks(13_000), T0.plusSeconds(120)), NO_LIMIT);
        assertThat(gone).isInstanceOfSatisfying(NoRate.class, n -> assertThat(n.reason()).isEqualTo(Reason.ABSENT));
        assertThat(tracker.size()).isZero();
        assertThat(tracker.update("if9", c64(9_000, 19_000, 180), NO_LIMIT))
                .isInstanceOfSatisfying(NoRate.class, n -> assertThat(n.reason()).isEqualTo(Reason.FIRST_SAMPLE));
    }

    @Test
    void samplesAcceptOnlyCountersAndTimeTicks() {
        assertThatThrownBy(() -> CounterSample.of(new SnmpValue.Gauge32(5), new SnmpValue.TimeTicks(1), T0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a counter");
        assertThatThrownBy(() -> CounterSample.of(new SnmpValue.Counter32(5), new SnmpValue.Integer32(1), T0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sysUpTime");
    }
}
