package de.sid.verbund.benchmarks;

import de.sid.verbund.compute.libvirt.internal.LibvirtProvider;
import de.sid.verbund.compute.spi.DomainSpec;
import de.sid.verbund.compute.spi.HypervisorConnection;
import de.sid.verbund.testsupport.Configs;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load driver: end-to-end provisioning over REST against the raw cost of libvirt.
 *
 * <ol>
 * <li>Warm-up (JIT compilation of both paths, as JMH would do): {@code warmup} VMs over REST on
 *     hosts of their own, and {@code warmup} raw define+start in this JVM. Their figures are
 *     printed as "cold".</li>
 * <li>Registers {@code hosts} fresh test-driver hosts (node files written to a temp directory)
 *     on a running node through {@code POST /api/hosts} and waits until they are ENABLED.</li>
 * <li>Creates {@code vms} VMs (1 vCPU, 512 MiB, 1 GiB) with {@code POST /api/vms} from
 *     {@code threads} clients: placement, reservation, volume, define and start per VM.</li>
 * <li>In this JVM, defines and starts the same domains (same sizes, same volume creation)
 *     directly through the libvirt provider on the same kind of test-driver hosts: the raw cost.</li>
 * </ol>
 * Prints VMs/s, p50/p99 latency of both and the cost ratio (wall time per VM). Wall time on a
 * shared machine moves with whatever else runs, so it also prints CPU time per VM: this JVM's
 * during the raw phase, and, with {@code --karaf-pid PID}, the node's during the REST phase
 * plus its work still running when the phase ends (billing's metering of the events above all):
 * with the pid, the raw phase starts only when the node has gone quiet (below 0.15 cores for two
 * seconds in a row, at most 60 s), so that tail is counted for the REST side and does not slow the raw one.
 *
 * <p>Run against a running node: {@code ./verbund run}, then
 * {@code java -cp benchmarks/target/benchmarks.jar de.sid.verbund.benchmarks.ProvisioningLoad
 * [url] [vms] [hosts] [threads] [warmup] [--karaf-pid PID]} (defaults http://localhost:8181 1000 10 8 500). Needs
 * Debian libvirt0. The test driver's pools hold 100 VMs of 1 GiB: hosts ≥ vms / 100.
 */
public final class ProvisioningLoad {
    private ProvisioningLoad() {
    }

    /**
     * One phase's outcome: latencies of the successes, failures, wall seconds, CPU seconds of this
     * JVM and of the node ({@code NaN} without its pid) over the phase.
     */
    private record Phase(List<Long> nanos, int failed, double seconds, double ownCpu, double nodeCpu) {
        double perSecond() {
            return nanos.size() / seconds;
        }
    }

    /** @return the CPU seconds (user + system, all threads) a process used so far; {@code NaN} if unknown */
    private static double cpu(ProcessHandle p) {
        return p == null ? Double.NaN : p.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    private static ProcessHandle node;

    public static void main(String[] argv) throws Exception {
        List<String> rest0 = new ArrayList<>(List.of(argv));
        int pidAt = rest0.indexOf("--karaf-pid");
        if (pidAt >= 0) {
            long pid = Long.parseLong(rest0.get(pidAt + 1));
            node = ProcessHandle.of(pid).orElseThrow(() -> new IllegalArgumentException("no process " + pid));
            rest0.subList(pidAt, pidAt + 2).clear();
        }
        String[] args = rest0.toArray(String[]::new);
        String url = args.length > 0 ? args[0] : "http://localhost:8181";
        int vms = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int hosts = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 500;
        LoadSupport load = new LoadSupport(url);
        LibvirtProvider provider = new LibvirtProvider(Configs.of(LibvirtProvider.Config.class));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            if (warmup > 0) {
                String run = "w" + UUID.randomUUID().toString().substring(0, 5);
                List<Path> nodes = load.registerHosts(run, (warmup + 99) / 100);
                print("cold REST create+start", rest(load, pool, run, warmup), threads);
                print("cold raw libvirt define+start", raw(provider, pool, nodes, warmup), threads);
            }
            String run = UUID.randomUUID().toString().substring(0, 6);
            List<Path> nodes = load.registerHosts(run, hosts);
            Phase rest = rest(load, pool, run, vms);
            double tail = quiet();
            Phase raw = raw(provider, pool, nodes, vms);
            print("REST create+start", rest, threads);
            print("raw libvirt define+start", raw, threads);
            System.out.printf("cost ratio (wall time per VM, REST / raw): %.2f%n",
                    (rest.seconds() / rest.nanos().size()) / (raw.seconds() / raw.nanos().size()));
            double rawCpu = raw.ownCpu() / raw.nanos().size();
            if (node != null) {
                double nodeCpu = (rest.nodeCpu() + tail) / rest.nanos().size();
                System.out.printf("CPU per VM: raw libvirt %.2f ms (this JVM); REST: node %.2f ms (%.2f during the phase, "
                        + "%.2f after it), client %.2f ms; node / raw: %.2f; node during the raw phase: %.2f ms per VM%n",
                        rawCpu * 1e3, nodeCpu * 1e3, rest.nodeCpu() / rest.nanos().size() * 1e3,
                        tail / rest.nanos().size() * 1e3, rest.ownCpu() / rest.nanos().size() * 1e3, nodeCpu / rawCpu,
                        raw.nodeCpu() / raw.nanos().size() * 1e3);
            } else {
                System.out.printf("CPU per VM: raw libvirt %.2f ms (this JVM); client of REST %.2f ms%n", rawCpu * 1e3,
                        rest.ownCpu() / rest.nanos().size() * 1e3);
            }
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Waits until the node uses less than 0.15 cores over a second (at most 60 s).
     *
     * @return the node's CPU seconds meanwhile; 0 without its pid
     */
    private static double quiet() throws InterruptedException {
        if (node == null) {
            return 0;
        }
        double start = cpu(node);
        long deadline = System.nanoTime() + 60_000_000_000L;
        double last = start;
        int quietSeconds = 0;
        while (System.nanoTime() < deadline) {
            Thread.sleep(1000);
            double now = cpu(node);
            // two quiet seconds in a row: on a loaded machine a busy node may get little CPU in one
            quietSeconds = now - last < 0.15 ? quietSeconds + 1 : 0;
            if (quietSeconds == 2) {
                return now - start;
            }
            last = now;
        }
        return cpu(node) - start;
    }

    /** Creates {@code n} VMs of site {@code load} over REST; the hosts of {@code run} take them. */
    private static Phase rest(LoadSupport load, ExecutorService pool, String run, int n) throws Exception {
        String tenant = UUID.randomUUID().toString();
        List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failures = new AtomicInteger();
        double own0 = cpu(ProcessHandle.current());
        double node0 = cpu(node);
        long t0 = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String body = "{\"name\":\"load-" + run + "-" + i + "\",\"tenantId\":\"" + tenant
                    + "\",\"vcpu\":1,\"ramMib\":512,\"diskGib\":1,\"site\":\"load\",\"strategy\":\"SPREAD\"}";
            fs.add(pool.submit(() -> {
                long s = System.nanoTime();
                HttpResponse<String> r = load.http.send(load.post("/api/vms", load.auth, body),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 201) {
                    nanos.add(System.nanoTime() - s);
                } else if (failures.incrementAndGet() <= 3) {
                    System.err.println("create failed: " + r.statusCode() + " " + r.body());
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        return new Phase(nanos, failures.get(), (System.nanoTime() - t0) / 1e9, cpu(ProcessHandle.current()) - own0,
                cpu(node) - node0);
    }

    /** Defines and starts {@code n} domains directly, round-robin over fresh connections to the node files. */
    private static Phase raw(LibvirtProvider provider, ExecutorService pool, List<Path> nodes, int n) throws Exception {
        List<HypervisorConnection> conns = new ArrayList<>();
        for (Path node : nodes) {
            conns.add(provider.connect("test://" + node.toAbsolutePath()));
        }
        List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> fs = new ArrayList<>();
        double own0 = cpu(ProcessHandle.current());
        double node0 = cpu(node);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            HypervisorConnection c = conns.get(i % conns.size());
            String id = UUID.randomUUID().toString();
            String name = "raw-" + i;
            fs.add(pool.submit(() -> {
                long s = System.nanoTime();
                c.define(new DomainSpec(id, name, 1, 512, 1, null, "default-pool", "default"));
                c.start(id);
                nanos.add(System.nanoTime() - s);
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        Phase p = new Phase(nanos, 0, (System.nanoTime() - t0) / 1e9, cpu(ProcessHandle.current()) - own0,
                cpu(node) - node0);
        conns.forEach(HypervisorConnection::close);
        return p;
    }

    private static void print(String what, Phase p, int threads) {
        System.out.printf("%s: %d VMs ok, %d failed, %.1f VMs/s, p50 %.1f ms, p99 %.1f ms (%d threads)%n", what,
                p.nanos().size(), p.failed(), p.perSecond(), LoadSupport.pct(p.nanos(), 50), LoadSupport.pct(p.nanos(), 99),
                threads);
    }
}
