package de.sid.verbund.compute.core.internal;

import de.sid.verbund.compute.HostLoad;
import de.sid.verbund.compute.HostState;
import de.sid.verbund.compute.VmState;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Compute metrics for {@code /metrics}: per host its capacity and allocation (after overcommit
 * and reserve), whether it is up, and its VMs by state (read from the database at scrape time);
 * per operation a count by outcome and a latency histogram.
 */
final class ComputeMetrics implements MultiCollector {
    private static final long MIB = 1024L * 1024L;
    private static final long GIB = 1024L * MIB;

    private final Counter operations = Counter.builder().name("verbund_compute_operations")
            .help("Compute operations by outcome (ok, refused = a 4xx problem, error)").labelNames("operation", "outcome")
            .build();
    private final Histogram latency = Histogram.builder().name("verbund_compute_operation_duration_seconds")
            .help("Duration of compute operations").unit(Unit.SECONDS).labelNames("operation")
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120).build();
    private final Supplier<ComputeStore> store;

    /** @param store the store, or {@code null} while compute is not ready (then only operation metrics) */
    ComputeMetrics(Supplier<ComputeStore> store) {
        this.store = store;
    }

    /** Runs and measures an operation. */
    <T> T timed(String operation, Supplier<T> op) {
        long t0 = System.nanoTime();
        String outcome = "error";
        try {
            T result = op.get();
            outcome = "ok";
            return result;
        } catch (de.sid.verbund.core.ProblemException e) {
            outcome = e.type().status() < 500 ? "refused" : "error";
            throw e;
        } finally {
            operations.labelValues(operation, outcome).inc();
            latency.labelValues(operation).observe((System.nanoTime() - t0) / 1e9);
        }
    }

    @Override
    public MetricSnapshots collect() {
        ComputeStore st = store.get();
        List<HostLoad> loads = st == null ? List.of() : st.loads();
        Map<String, Map<VmState, Long>> byState = st == null ? Map.of() : st.vmCountsByHostAndState();
        GaugeSnapshot.Builder vcpuCap = gauge("verbund_compute_host_vcpu_capacity", "vCPUs that may be allocated (cores x overcommit)");
        GaugeSnapshot.Builder vcpuAlloc = gauge("verbund_compute_host_vcpu_allocated", "vCPUs allocated to VMs");
        GaugeSnapshot.Builder ramCap = gauge("verbund_compute_host_memory_capacity_bytes",
                "RAM that may be allocated ((RAM - reserve) x overcommit)");
        GaugeSnapshot.Builder ramAlloc = gauge("verbund_compute_host_memory_allocated_bytes", "RAM allocated to VMs");
        GaugeSnapshot.Builder diskCap = gauge("verbund_compute_host_disk_capacity_bytes",
                "Capacity of the storage pool VM volumes go to");
        GaugeSnapshot.Builder diskAlloc = gauge("verbund_compute_host_disk_allocated_bytes", "Disk allocated to VMs");
        GaugeSnapshot.Builder up = gauge("verbund_compute_host_up", "1 when the hypervisor connection works");
        GaugeSnapshot.Builder maintenance = gauge("verbund_compute_host_maintenance", "1 when the host is in maintenance");
        GaugeSnapshot.Builder vms = gauge("verbund_compute_vms", "VMs by host and state");
        for (HostLoad l : loads) {
            Labels host = Labels.of("host", l.host().name(), "site", l.host().site());
            vcpuCap.dataPoint(point(host, l.host().vcpuCapacity()));
            vcpuAlloc.dataPoint(point(host, l.vcpu()));
            ramCap.dataPoint(point(host, (double) l.host().ramCapacityMib() * MIB));
            ramAlloc.dataPoint(point(host, (double) l.ramMib() * MIB));
            diskCap.dataPoint(point(host, (double) l.host().diskGib() * GIB));
            diskAlloc.dataPoint(point(host, (double) l.diskGib() * GIB));
            up.dataPoint(point(host, l.host().state() == HostState.DOWN ? 0 : 1));
            maintenance.dataPoint(point(host, l.host().state() == HostState.MAINTENANCE ? 1 : 0));
            Map<VmState, Long> counts = byState.getOrDefault(l.host().id(), new EnumMap<>(VmState.class));
            for (VmState s : VmState.values()) {
                if (s != VmState.DELETED) {
                    vms.dataPoint(point(Labels.of("host", l.host().name(), "site", l.host().site(), "state", s.name()),
                            counts.getOrDefault(s, 0L)));
                }
            }
        }
        return MetricSnapshots.of(vcpuCap.build(), vcpuAlloc.build(), ramCap.build(), ramAlloc.build(), diskCap.build(),
                diskAlloc.build(), up.build(),
                maintenance.build(), vms.build(), operations.collect(), latency.collect());
    }

    private static GaugeSnapshot.Builder gauge(String name, String help) {
        return GaugeSnapshot.builder().name(name).help(help);
    }

    private static GaugeDataPointSnapshot point(Labels labels, double value) {
        return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }

}
