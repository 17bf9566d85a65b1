package de.sid.verbund.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.sid.verbund.compute.spi.DomainSpec;
import de.sid.verbund.compute.spi.HypervisorConnection;
import de.sid.verbund.compute.libvirt.internal.LibvirtProvider;
import de.sid.verbund.testsupport.Configs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
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
 * <li>Registers {@code hosts} fresh test-driver hosts (node files written to a temp directory)
 *     on a running node through {@code POST /api/hosts} and waits until they are ENABLED.</li>
 * <li>Creates {@code vms} VMs (1 vCPU, 512 MiB, 1 GiB) with {@code POST /api/vms} from
 *     {@code threads} clients: placement, reservation, volume, define and start per VM.</li>
 * <li>In this JVM, defines and starts the same domains (same sizes, same volume creation)
 *     directly through the libvirt provider on the same kind of test-driver hosts: the raw cost.</li>
 * </ol>
 * Prints VMs/s, p50/p99 latency of both and the cost ratio.
 *
 * <p>Run against a fresh node: {@code ./verbund run}, then
 * {@code java -cp benchmarks/target/benchmarks.jar de.sid.verbund.benchmarks.ProvisioningLoad
 * [url] [vms] [hosts] [threads]} (defaults http://localhost:8181 1000 10 8). Needs Debian libvirt0.
 */
public final class ProvisioningLoad {

    private ProvisioningLoad() {
    }

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "http://localhost:8181";
        int vms = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int hosts = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        LoadSupport load = new LoadSupport(url);
        HttpClient http = load.http;
        String auth = load.auth;
        String run = UUID.randomUUID().toString().substring(0, 6);

        // 1. hosts
        List<Path> nodes = load.registerHosts(run, hosts);

        // 2. REST
        String tenant = UUID.randomUUID().toString();
        List<Long> rest = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failures = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long t0 = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < vms; i++) {
            String body = "{\"name\":\"load-" + run + "-" + i + "\",\"tenantId\":\"" + tenant
                    + "\",\"vcpu\":1,\"ramMib\":512,\"diskGib\":1,\"site\":\"load\",\"strategy\":\"SPREAD\"}";
            fs.add(pool.submit(() -> {
                long s = System.nanoTime();
                HttpResponse<String> r = http.send(load.post("/api/vms", auth, body), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 201) {
                    rest.add(System.nanoTime() - s);
                } else if (failures.incrementAndGet() <= 3) {
                    System.err.println("create failed: " + r.statusCode() + " " + r.body());
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        double restSeconds = (System.nanoTime() - t0) / 1e9;

        // 3. raw libvirt, same domains on the same kind of hosts
        LibvirtProvider provider = new LibvirtProvider(Configs.of(LibvirtProvider.Config.class));
        List<HypervisorConnection> conns = new ArrayList<>();
        for (Path node : nodes) {
            conns.add(provider.connect("test://" + node.toAbsolutePath()));
        }
        List<Long> raw = Collections.synchronizedList(new ArrayList<>());
        fs.clear();
        long t1 = System.nanoTime();
        for (int i = 0; i < vms; i++) {
            HypervisorConnection c = conns.get(i % conns.size());
            String id = UUID.randomUUID().toString();
            String name = "raw-" + i;
            fs.add(pool.submit(() -> {
                long s = System.nanoTime();
                c.define(new DomainSpec(id, name, 1, 512, 1, null, "default-pool", "default"));
                c.start(id);
                raw.add(System.nanoTime() - s);
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        double rawSeconds = (System.nanoTime() - t1) / 1e9;
        pool.shutdown();
        conns.forEach(HypervisorConnection::close);

        System.out.printf("REST create+start: %d VMs ok, %d failed, %.1f VMs/s, p50 %.1f ms, p99 %.1f ms (%d threads)%n",
                rest.size(), failures.get(), rest.size() / restSeconds, LoadSupport.pct(rest, 50), LoadSupport.pct(rest, 99), threads);
        System.out.printf("raw libvirt define+start: %d VMs, %.1f VMs/s, p50 %.1f ms, p99 %.1f ms%n",
                raw.size(), raw.size() / rawSeconds, LoadSupport.pct(raw, 50), LoadSupport.pct(raw, 99));
        System.out.printf("cost ratio (wall time per VM, REST / raw): %.2f%n", (restSeconds / rest.size()) / (rawSeconds / raw.size()));
    }
}
