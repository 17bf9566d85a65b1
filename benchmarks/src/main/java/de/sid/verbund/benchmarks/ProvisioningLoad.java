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
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProvisioningLoad() {
    }

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "http://localhost:8181";
        int vms = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int hosts = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        String basic = "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        // an API token, as automation would use: HTTP Basic pays a bcrypt check on every request
        HttpResponse<String> token = http.send(post(url + "/api/users/me/tokens", basic,
                "{\"name\":\"load\",\"validDays\":1,\"password\":\"admin\"}"), HttpResponse.BodyHandlers.ofString());
        if (token.statusCode() != 201) {
            throw new IllegalStateException("token: " + token.statusCode() + " " + token.body());
        }
        String auth = "Bearer " + JSON.readTree(token.body()).path("secret").asText();
        Path dir = Files.createTempDirectory("verbund-load");
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<Path> nodes = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            Path node = dir.resolve("load-" + i + ".xml");
            Files.writeString(node, nodeXml());
            nodes.add(node);
        }

        // 1. hosts
        for (int i = 0; i < hosts; i++) {
            String body = "{\"name\":\"load-" + run + "-" + i + "\",\"uri\":\"test://" + nodes.get(i).toAbsolutePath()
                    + "\",\"site\":\"load\",\"cpuOvercommit\":8,\"ramOvercommit\":1,\"ramReserveMib\":0}";
            HttpResponse<String> r = http.send(post(url + "/api/hosts", auth, body), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
                throw new IllegalStateException("host registration: " + r.statusCode() + " " + r.body());
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (enabled(http, url, auth, run) < hosts) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("hosts did not become ENABLED within 60 s");
            }
            Thread.sleep(200);
        }

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
                HttpResponse<String> r = http.send(post(url + "/api/vms", auth, body), HttpResponse.BodyHandlers.ofString());
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
                rest.size(), failures.get(), rest.size() / restSeconds, pct(rest, 50), pct(rest, 99), threads);
        System.out.printf("raw libvirt define+start: %d VMs, %.1f VMs/s, p50 %.1f ms, p99 %.1f ms%n",
                raw.size(), raw.size() / rawSeconds, pct(raw, 50), pct(raw, 99));
        System.out.printf("cost ratio (wall time per VM, REST / raw): %.2f%n", (restSeconds / rest.size()) / (rawSeconds / raw.size()));
    }

    private static int enabled(HttpClient http, String url, String auth, String run) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/api/hosts")).header("Authorization", auth)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        int n = 0;
        for (JsonNode h : JSON.readTree(r.body())) {
            n += h.path("name").asText().startsWith("load-" + run) && "ENABLED".equals(h.path("state").asText()) ? 1 : 0;
        }
        return n;
    }

    private static HttpRequest post(String url, String auth, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static double pct(List<Long> nanos, int p) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1e6;
    }

    /**
     * A test-driver host: 64 cores, 512 GiB, a pool and a network. (The test driver caps a pool
     * at 100 GiB whatever the file says: 100 VMs of 1 GiB per host.)
     */
    private static String nodeXml() {
        return "<node><cpu><mhz>2400</mhz><model>load</model><active>64</active><nodes>1</nodes><sockets>2</sockets>"
                + "<cores>32</cores><threads>1</threads></cpu><memory>536870912</memory>"
                + "<network><name>default</name><bridge name='virbr0'/><forward mode='nat'/>"
                + "<ip address='192.168.122.1' netmask='255.255.255.0'/></network>"
                + "<pool type='dir'><name>default-pool</name><capacity>107374182400</capacity>"
                + "<allocation>0</allocation><available>107374182400</available>"
                + "<target><path>/var/lib/libvirt/images</path></target></pool></node>";
    }
}
