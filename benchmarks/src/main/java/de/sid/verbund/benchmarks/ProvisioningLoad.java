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
 * Prints VMs/s, p50/p99 latency of both and the cost ratio (wall time per VM).
 *
 * <p>Run against a running node: {@code ./verbund run}, then
 * {@code java -cp benchmarks/target/benchmarks.jar de.sid.verbund.benchmarks.ProvisioningLoad
 * [url] [vms] [hosts] [threads] [warmup]} (defaults http://localhost:8181 1000 10 8 500). Needs
 * Debian libvirt0. The test driver's pools hold 100 VMs of 1 GiB: hosts ≥ vms / 100.
 */
public final class ProvisioningLoad {
    private ProvisioningLoad() {
    }

    /** One phase's outcome: latencies of the successes, failures, wall seconds. */
    private record Phase(List<Long> nanos, int failed, double seconds) {
        double perSecond() {
            return nanos.size() / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
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
            Phase raw = raw(provider, pool, nodes, vms);
            print("REST create+start", rest, threads);
            print("raw libvirt define+start", raw, threads);
            System.out.printf("cost ratio (wall time per VM, REST / raw): %.2f%n",
                    (rest.seconds() / rest.nanos().size()) / (raw.seconds() / raw.nanos().size()));
        } finally {
            pool.shutdown();
        }
    }

    /** Creates {@code n} VMs of site {@code load} over REST; the hosts of {@code run} take them. */
    private static Phase rest(LoadSupport load, ExecutorService pool, String run, int n) throws Exception {
        String tenant = UUID.randomUUID().toString();
        List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failures = new AtomicInteger();
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
        return new Phase(nanos, failures.get(), (System.nanoTime() - t0) / 1e9);
    }

    /** Defines and starts {@code n} domains directly, round-robin over fresh connections to the node files. */
    private static Phase raw(LibvirtProvider provider, ExecutorService pool, List<Path> nodes, int n) throws Exception {
        List<HypervisorConnection> conns = new ArrayList<>();
        for (Path node : nodes) {
            conns.add(provider.connect("test://" + node.toAbsolutePath()));
        }
        List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> fs = new ArrayList<>();
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
        Phase p = new Phase(nanos, 0, (System.nanoTime() - t0) / 1e9);
        conns.forEach(HypervisorConnection::close);
        return p;
    }

    private static void print(String what, Phase p, int threads) {
        System.out.printf("%s: %d VMs ok, %d failed, %.1f VMs/s, p50 %.1f ms, p99 %.1f ms (%d threads)%n", what,
                p.nanos().size(), p.failed(), p.perSecond(), LoadSupport.pct(p.nanos(), 50), LoadSupport.pct(p.nanos(), 99),
                threads);
    }
}
