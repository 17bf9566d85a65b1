package de.sid.verbund.monitoring.hypervisor.internal;

import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.HostStatsSource;
import de.sid.verbund.compute.HostStatsSource.HostReading;
import de.sid.verbund.compute.spi.HostStats;
import de.sid.verbund.monitoring.MetricSample;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceKind;
import de.sid.verbund.monitoring.inventory.PollObserver;
import de.sid.verbund.monitoring.inventory.PollSummary;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the compute area's hypervisor hosts as monitored devices: each poll reads every host's
 * load through {@link HostStatsSource} (libvirt), keeps the latest samples for {@code /metrics}
 * and tells the {@link PollObserver}s, as the SNMP poller does for devices, so threshold rules
 * (host unreachable, memory, guest CPU) apply to hosts too.
 *
 * <p>Samples per host, labels {@code host} and {@code site} at {@code /metrics} ({@code device}
 * and {@code site} for the observers, like SNMP devices):
 * <ul>
 *   <li>{@code verbund_hypervisor_up}: 1 when the host's connection answered, else 0;</li>
 *   <li>{@code verbund_hypervisor_cpus}: logical CPUs;</li>
 *   <li>{@code verbund_hypervisor_memory_bytes}, {@code verbund_hypervisor_memory_free_bytes}
 *       (absent when libvirt cannot tell) and {@code verbund_hypervisor_memory_used_ratio} (0 to 1);</li>
 *   <li>{@code verbund_hypervisor_domains{state="running"|"inactive"}};</li>
 *   <li>{@code verbund_hypervisor_guest_cpu_ratio}: CPU time used by the guests over the last
 *       interval as a fraction of the host's logical CPUs (0 to 1; from the second poll on).
 *       It is the sum over domains running at both readings of each one's CPU-time increase, so
 *       a domain starting, stopping or restarting (its counter reset) between two polls never
 *       makes a spike.</li>
 * </ul>
 * The host's observer record is a {@link Device} of kind SERVER with the host's id, name and site.
 */
final class HypervisorMonitor implements MultiCollector {
    private static final Logger LOG = LoggerFactory.getLogger(HypervisorMonitor.class);

    /** The latest state of one host. */
    private record Latest(Host host, HostStats stats, List<MetricSample> samples) {
    }

    private final HostStatsSource source;
    private final List<PollObserver> observers;
    private final Duration interval;
    private final Map<String, Latest> latest = new ConcurrentHashMap<>();
    private final Map<String, String> loggedProblems = new ConcurrentHashMap<>();

    /**
     * @param observers told of every host poll; a live list (the component's whiteboard)
     * @param interval the poll interval, for the observers' device record
     */
    HypervisorMonitor(HostStatsSource source, List<PollObserver> observers, Duration interval) {
        this.source = source;
        this.observers = observers;
        this.interval = interval;
    }

    /** Reads every host once and tells the observers; hosts no longer registered are forgotten (and the observers told). */
    void poll() {
        List<HostReading> readings = source.readHostStats();
        Map<String, Latest> seen = new HashMap<>();
        for (HostReading r : readings) {
            Host host = r.host();
            Latest previous = latest.get(host.id());
            List<MetricSample> samples = samples(host, r.stats(), previous == null ? null : previous.stats());
            Latest now = new Latest(host, r.stats(), samples);
            seen.put(host.id(), now);
            latest.put(host.id(), now);
            logProblem(host, r.problem());
            notifyObservers(host, r, samples);
        }
        for (Latest gone : latest.values()) {
            if (!seen.containsKey(gone.host().id())) {
                latest.remove(gone.host().id());
                PollObserver.forgetAll(observers, device(gone.host()), (o, e) -> LOG.warn(
                        "Poll observer {} failed forgetting hypervisor host {}", o.getClass().getName(), gone.host().name(), e));
            }
        }
        loggedProblems.keySet().retainAll(seen.keySet());
    }

    private void logProblem(Host host, String problem) {
        if (problem == null) {
            if (loggedProblems.remove(host.id()) != null) {
                LOG.info("Hypervisor host {} answers again", host.name());
            }
        } else if (!problem.equals(loggedProblems.put(host.id(), problem))) {
            LOG.warn("Hypervisor host {} not read: {}", host.name(), problem);
        }
    }

    static List<MetricSample> samples(Host host, HostStats stats, HostStats previous) {
        Map<String, String> labels = Map.of("device", host.name(), "site", host.site());
        List<MetricSample> out = new ArrayList<>();
        out.add(gauge("verbund_hypervisor_up", "1 when the hypervisor host's connection answered, else 0", labels,
                stats == null ? 0 : 1));
        if (stats == null) {
            return out;
        }
        out.add(gauge("verbund_hypervisor_cpus", "Logical CPUs of the hypervisor host", labels, stats.cpus()));
        out.add(gauge("verbund_hypervisor_memory_bytes", "Physical memory of the hypervisor host", labels,
                stats.memoryBytes()));
        if (stats.freeMemoryBytes() != null) {
            out.add(gauge("verbund_hypervisor_memory_free_bytes", "Memory of the hypervisor host in use by neither the "
                    + "host nor its guests", labels, stats.freeMemoryBytes()));
            if (stats.memoryBytes() > 0) {
                out.add(gauge("verbund_hypervisor_memory_used_ratio", "Memory of the hypervisor host in use, 0 to 1",
                        labels, 1.0 - (double) stats.freeMemoryBytes() / stats.memoryBytes()));
            }
        }
        out.add(gauge("verbund_hypervisor_domains", "Domains on the hypervisor host by state", with(labels, "running"),
                stats.runningDomains()));
        out.add(gauge("verbund_hypervisor_domains", "Domains on the hypervisor host by state", with(labels, "inactive"),
                stats.inactiveDomains()));
        Double ratio = guestCpuRatio(previous, stats);
        if (ratio != null) {
            out.add(gauge("verbund_hypervisor_guest_cpu_ratio", "CPU time used by the guests over the last poll interval "
                    + "as a fraction of the host's logical CPUs", labels, ratio));
        }
        return out;
    }

    /**
     * @return the guests' CPU use between two readings as a fraction of the host's CPUs, clamped
     *         to 0..1; null without a usable earlier reading
     */
    static Double guestCpuRatio(HostStats previous, HostStats now) {
        if (previous == null || now.cpus() <= 0) {
            return null;
        }
        long elapsedNanos = Duration.between(previous.readAt(), now.readAt()).toNanos();
        if (elapsedNanos <= 0) {
            return null;
        }
        long used = 0;
        for (Map.Entry<String, Long> e : now.domainCpuTimeNanos().entrySet()) {
            Long before = previous.domainCpuTimeNanos().get(e.getKey());
            if (before != null && e.getValue() >= before) {
                used += e.getValue() - before;
            }
        }
        double ratio = (double) used / ((double) elapsedNanos * now.cpus());
        return Math.max(0.0, Math.min(1.0, ratio));
    }

    private static Map<String, String> with(Map<String, String> labels, String state) {
        Map<String, String> m = new java.util.LinkedHashMap<>(labels);
        m.put("state", state);
        return m;
    }

    private static MetricSample gauge(String name, String help, Map<String, String> labels, double value) {
        return new MetricSample(name, MetricSample.Kind.GAUGE, help, labels, value);
    }

    private void notifyObservers(Host host, HostReading r, List<MetricSample> samples) {
        Instant at = r.stats() != null ? r.stats().readAt() : Instant.now();
        PollSummary summary = new PollSummary(host.id(), host.name(), r.stats() != null, at, 0, 1, 0, samples.size(),
                r.problem());
        PollObserver.tellAll(observers, device(host), summary, samples, (o, e) -> LOG.warn(
                "Poll observer {} failed on hypervisor host {}", o.getClass().getName(), host.name(), e));
    }

    /** @return the host as the observers see it: a SERVER device with the host's id, name and site */
    Device device(Host host) {
        String address = hostPart(host.uri());
        return new Device(host.id(), host.name(), address, 0, host.site(), DeviceKind.SERVER,
                (int) Math.max(1, interval.toSeconds()), List.of(), null, host.createdAt());
    }

    /** @return the host name of a libvirt URI ({@code qemu+ssh://root@kvm-1/system} → {@code kvm-1}), else "" */
    static String hostPart(String uri) {
        try {
            String h = java.net.URI.create(uri).getHost();
            return h == null ? "" : h;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** @return the latest samples of a host (device labels), empty if it was never polled */
    List<MetricSample> samples(String hostId) {
        Latest l = latest.get(hostId);
        return l == null ? List.of() : l.samples();
    }

    /** The latest samples of every host, with {@code host} and {@code site} labels like the compute metrics. */
    @Override
    public MetricSnapshots collect() {
        Map<String, GaugeSnapshot.Builder> byName = new java.util.LinkedHashMap<>();
        for (Latest l : latest.values()) {
            for (MetricSample m : l.samples()) {
                Labels.Builder lb = Labels.builder();
                m.labels().forEach((k, v) -> lb.label(k.equals("device") ? "host" : k, v));
                byName.computeIfAbsent(m.name(), n -> GaugeSnapshot.builder().name(n).help(m.help()))
                        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(lb.build()).value(m.value())
                                .build());
            }
        }
        List<MetricSnapshot> out = new ArrayList<>();
        byName.values().forEach(b -> out.add(b.build()));
        return new MetricSnapshots(out);
    }
}
