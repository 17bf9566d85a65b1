package de.sid.verbund.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load driver: {@code GET /api/vms} over REST on a node holding many VMs.
 *
 * <ol>
 * <li>Registers {@code hosts} test-driver hosts and creates {@code vms} VMs (1 vCPU, 256 MiB,
 *     1 GiB) over REST from 8 clients, spread over 100 authorities, every tenth one stopped.</li>
 * <li>Times {@code rounds} requests of each listing (page size 50): the first page unfiltered,
 *     by tenant, by host, by state STOPPED, and the 20th page of the unfiltered list (cursor).</li>
 * </ol>
 * Prints p50/p99/max latency per listing, ms, client-side (HTTP round trip on loopback included).
 *
 * <p>Run against a fresh node: {@code ./verbund run}, then
 * {@code java -cp benchmarks/target/benchmarks.jar de.sid.verbund.benchmarks.VmListLoad
 * [url] [vms] [hosts] [rounds]} (defaults http://localhost:8181 25000 250 200). The test
 * driver's pools hold 100 VMs of 1 GiB each, hence hosts ≥ vms / 100.
 */
public final class VmListLoad {
    private VmListLoad() {
    }

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "http://localhost:8181";
        int vms = args.length > 1 ? Integer.parseInt(args[1]) : 25_000;
        int hosts = args.length > 2 ? Integer.parseInt(args[2]) : 250;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        LoadSupport load = new LoadSupport(url);
        String run = UUID.randomUUID().toString().substring(0, 6);
        load.registerHosts(run, hosts);

        List<String> tenants = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            tenants.add(UUID.randomUUID().toString());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger failed = new AtomicInteger();
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < vms; i++) {
            int n = i;
            fs.add(pool.submit(() -> {
                String body = "{\"name\":\"list-" + run + "-" + n + "\",\"tenantId\":\"" + tenants.get(n % tenants.size())
                        + "\",\"vcpu\":1,\"ramMib\":256,\"diskGib\":1,\"site\":\"load\"}";
                HttpResponse<String> r = load.http.send(load.post("/api/vms", load.auth, body), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 201) {
                    if (failed.incrementAndGet() <= 3) {
                        System.err.println("create failed: " + r.statusCode() + " " + r.body());
                    }
                    return null;
                }
                String id = LoadSupport.JSON.readTree(r.body()).path("id").asText();
                ids.add(id);
                if (n % 10 == 0) {
                    load.http.send(load.post("/api/vms/" + id + "/stop", load.auth, "{}"), HttpResponse.BodyHandlers.ofString());
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        System.out.printf("created %d VMs (%d failed) in %.0f s%n", ids.size(), failed.get(), (System.nanoTime() - t0) / 1e9);

        JsonNode hostList = LoadSupport.JSON.readTree(load.http.send(load.get("/api/hosts"),
                HttpResponse.BodyHandlers.ofString()).body());
        String hostId = null;
        for (JsonNode h : hostList) {
            if (h.path("name").asText().equals("load-" + run + "-0")) {
                hostId = h.path("id").asText();
            }
        }
        String deep = "/api/vms?limit=50";
        for (int page = 1; page < 20; page++) {
            JsonNode p = LoadSupport.JSON.readTree(load.http.send(load.get(deep), HttpResponse.BodyHandlers.ofString()).body());
            deep = "/api/vms?limit=50&cursor=" + p.path("nextCursor").asText();
        }
        Map<String, String> listings = new LinkedHashMap<>();
        listings.put("first page, unfiltered", "/api/vms?limit=50");
        listings.put("by tenant", "/api/vms?limit=50&tenantId=" + tenants.get(7));
        listings.put("by host", "/api/vms?limit=50&hostId=" + hostId);
        listings.put("by state STOPPED", "/api/vms?limit=50&state=STOPPED");
        listings.put("20th page (cursor)", deep);
        for (Map.Entry<String, String> e : listings.entrySet()) {
            List<Long> times = new ArrayList<>();
            int items = -1;
            for (int i = 0; i < rounds; i++) {
                long s = System.nanoTime();
                HttpResponse<String> r = load.http.send(load.get(e.getValue()), HttpResponse.BodyHandlers.ofString());
                times.add(System.nanoTime() - s);
                if (r.statusCode() != 200) {
                    throw new IllegalStateException(e.getKey() + ": " + r.statusCode() + " " + r.body());
                }
                items = LoadSupport.JSON.readTree(r.body()).path("items").size();
            }
            System.out.printf("GET %-24s %2d items  p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms%n", e.getKey(), items,
                    LoadSupport.pct(times, 50), LoadSupport.pct(times, 99), LoadSupport.pct(times, 100));
        }
    }
}
