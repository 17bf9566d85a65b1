package de.sid.verbund.monitoring.traps.internal;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The receiver's counters, exposed at {@code /metrics}:
 * <ul>
 *   <li>{@code verbund_snmp_traps_received_total{trap}}: traps and informs accepted and queued for the event
 *       bus, by well-known name ({@code raw} for the others);</li>
 *   <li>{@code verbund_snmp_traps_dropped_total{reason}}: messages that did not become events, by
 *       {@link DropReason} (every reason is exposed, also at 0, so alerts need no {@code absent()});</li>
 *   <li>{@code verbund_snmp_trap_events_published_total}: events the event bus took;</li>
 *   <li>{@code verbund_snmp_trap_events_queued}: events waiting for the event bus;</li>
 *   <li>{@code verbund_snmp_trap_receiver_up}: 1 while the UDP port is open.</li>
 * </ul>
 */
final class TrapMetrics {
    private final Map<String, LongAdder> received = new ConcurrentHashMap<>();
    private final Map<DropReason, LongAdder> dropped = new EnumMap<>(DropReason.class);
    private final LongAdder published = new LongAdder();
    private volatile IntSupplier queued = () -> 0;
    private volatile boolean up;

    TrapMetrics() {
        for (DropReason r : DropReason.values()) {
            dropped.put(r, new LongAdder());
        }
    }

    void received(String trap) {
        received.computeIfAbsent(trap, k -> new LongAdder()).increment();
    }

    void dropped(DropReason reason) {
        dropped.get(reason).increment();
    }

    void published(int events) {
        published.add(events);
    }

    void queueSize(IntSupplier size) {
        queued = size;
    }

    void up(boolean listening) {
        up = listening;
    }

    /** @return the count of received traps of that name */
    long receivedCount(String trap) {
        LongAdder a = received.get(trap);
        return a == null ? 0 : a.sum();
    }

    /** @return the count of drops for that reason */
    long droppedCount(DropReason reason) {
        return dropped.get(reason).sum();
    }

    long publishedCount() {
        return published.sum();
    }

    MetricSnapshots collect() {
        CounterSnapshot.Builder rec = CounterSnapshot.builder().name("verbund_snmp_traps_received")
                .help("SNMP traps and informs accepted and queued for the event bus, by well-known name (raw: any other)");
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(received).entrySet()) {
            rec.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(Labels.of("trap", e.getKey()))
                    .value(e.getValue().sum()).build());
        }
        CounterSnapshot.Builder drop = CounterSnapshot.builder().name("verbund_snmp_traps_dropped")
                .help("SNMP messages received on the trap port that did not become events, by reason");
        for (Map.Entry<DropReason, LongAdder> e : dropped.entrySet()) {
            drop.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(Labels.of("reason", e.getKey().label()))
                    .value(e.getValue().sum()).build());
        }
        return new MetricSnapshots(rec.build(), drop.build(),
                CounterSnapshot.builder().name("verbund_snmp_trap_events_published")
                        .help("Trap events the event bus accepted")
                        .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(published.sum()).build()).build(),
                GaugeSnapshot.builder().name("verbund_snmp_trap_events_queued")
                        .help("Trap events waiting in memory for the event bus")
                        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(queued.getAsInt()).build()).build(),
                GaugeSnapshot.builder().name("verbund_snmp_trap_receiver_up")
                        .help("1 while the trap receiver's UDP port is open")
                        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(up ? 1 : 0).build()).build());
    }
}
