package de.sid.verbund.benchmarks;

import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.monitoring.PollRequest;
import de.sid.verbund.monitoring.PollResult;
import de.sid.verbund.monitoring.SnmpClient;
import de.sid.verbund.monitoring.SnmpCredentials;
import de.sid.verbund.monitoring.SnmpTarget;
import de.sid.verbund.monitoring.WalkResult;
import de.sid.verbund.monitoring.core.internal.PollerComponent;
import de.sid.verbund.monitoring.core.internal.PollerConfig;
import de.sid.verbund.monitoring.inventory.Credential;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceInventory;
import de.sid.verbund.monitoring.inventory.DeviceKind;
import de.sid.verbund.monitoring.inventory.NewCredential;
import de.sid.verbund.monitoring.inventory.NewDevice;
import de.sid.verbund.monitoring.inventory.PollSummary;
import de.sid.verbund.monitoring.smi.Oid;
import de.sid.verbund.monitoring.smi.SnmpValue;
import de.sid.verbund.monitoring.snmp.internal.Snmp4jClient;
import de.sid.verbund.testsupport.Configs;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Verbund's poller in a process of its own, for {@link SnmpPollerBenchmark}: the real stack as it
 * runs in Karaf — monitoring-snmp's {@link Snmp4jClient} (one UDP socket, 2 completion threads,
 * as {@code SnmpClientComponent}'s defaults) under monitoring-core's {@link PollerComponent}
 * ({@code DevicePolling} with the {@code ProfileMapper} and the profiles of {@code
 * monitoring/profiles}) — polling the devices of {@code --targets} as fast as it can: {@code
 * --concurrency} polls in flight (also the poller's {@code max.concurrent.polls}), each followed
 * at once by a "poll now" of the next device, round robin.
 *
 * <p>With {@code --expose} (the benchmark's default) the latest samples of all devices are also
 * written in the Prometheus text format (as {@code /metrics} does, to a byte counter) after every
 * round of polls over all devices, so every sample is rendered once per poll as snmp_exporter
 * renders each scrape's: the same work per varbind.
 *
 * <p>{@code --targets FILE}: one device per line, {@code NAME HOST PORT COMMUNITY}, polled
 * over SNMPv2c with the profiles {@code --profile-names} (default {@code system,if_mib}).
 * Standard input: {@code count} prints a line of counters; end of input stops the process.
 */
public final class VerbundPollerProcess {
    private final List<Device> devices;
    private final PollerComponent poller;
    private final AtomicInteger next = new AtomicInteger();
    private final LongAdder polls = new LongAdder();
    private final LongAdder down = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder samples = new LongAdder();
    private final LongAdder conflicts = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final AtomicLong completed = new AtomicLong();
    private final Semaphore roundsToExpose = new Semaphore(0);
    private final LongAdder expositions = new LongAdder();
    private final LongAdder expositionBytes = new LongAdder();
    private final CountingClient client;
    private volatile boolean running = true;

    private VerbundPollerProcess(List<Device> devices, PollerComponent poller, CountingClient client) {
        this.devices = devices;
        this.poller = poller;
        this.client = client;
    }

    public static void main(String[] args) throws Exception {
        Path targets = null;
        Path profiles = null;
        List<String> profileNames = List.of("system", "if_mib");
        int concurrency = 32;
        boolean expose = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--targets" -> targets = Path.of(args[++i]);
                case "--profiles" -> profiles = Path.of(args[++i]);
                case "--profile-names" -> profileNames = List.of(args[++i].split(","));
                case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
                case "--expose" -> expose = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (targets == null || profiles == null) {
            throw new IllegalArgumentException("usage: VerbundPollerProcess --targets FILE --profiles DIR "
                    + "[--profile-names a,b] [--concurrency N] [--expose]");
        }
        List<Device> devices = new ArrayList<>();
        Map<String, String> communities = new java.util.HashMap<>();
        for (String line : Files.readAllLines(targets)) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            String id = "dev-" + devices.size();
            // the credential id carries the community: the benchmark's inventory has no credential store
            communities.put(id, f[3]);
            devices.add(new Device(id, f[0], f[1], Integer.parseInt(f[2]), "bench", DeviceKind.SWITCH, 60, profileNames,
                    id, Instant.now()));
        }
        Snmp4jClient snmp = new Snmp4jClient(InetAddress.getLoopbackAddress(), 2);
        CountingClient client = new CountingClient(snmp);
        PollerComponent poller = new PollerComponent(new Inventory(communities), client, config(profiles, concurrency));
        VerbundPollerProcess p = new VerbundPollerProcess(devices, poller, client);
        p.awaitStarted();
        if (expose) {
            Thread t = new Thread(p::exposeRounds, "bench-exposition");
            t.setDaemon(true);
            t.start();
        }
        for (int i = 0; i < concurrency; i++) {
            p.pollNext();
        }
        System.out.println("ready " + devices.size() + " devices, " + concurrency + " polls in flight");
        System.out.flush();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("count")) {
                    System.out.println(p.counts());
                    System.out.flush();
                }
            }
        }
        p.running = false;
        snmp.close();
        System.exit(0);
    }

    /** The poller loads its profiles on its own thread; "poll now" is refused until then. */
    private void awaitStarted() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                poller.pollNow(devices.get(0)).toCompletableFuture().get(30, TimeUnit.SECONDS);
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof ProblemException p && p.type() == ProblemType.UNAVAILABLE)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    private void pollNext() {
        if (!running) {
            return;
        }
        Device d = devices.get(Math.floorMod(next.getAndIncrement(), devices.size()));
        poller.pollNow(d).whenComplete(this::polled);
    }

    private void polled(PollSummary s, Throwable error) {
        if (error != null) {
            Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (e instanceof ProblemException p && p.type() == ProblemType.CONFLICT) {
                conflicts.increment(); // still being polled from the round before: take the next device
            } else {
                failures.increment();
            }
        } else {
            polls.increment();
            received.add(s.varbinds());
            samples.add(s.samples());
            if (!s.up()) {
                down.increment();
            }
        }
        if (completed.incrementAndGet() % devices.size() == 0) {
            roundsToExpose.release();
        }
        pollNext();
    }

    /** Renders the exposition once per completed round of polls; rounds that come faster are merged. */
    private void exposeRounds() {
        PrometheusTextFormatWriter writer = new PrometheusTextFormatWriter(false);
        OutputStream counter = new OutputStream() {
            @Override
            public void write(int b) {
                expositionBytes.increment();
            }

            @Override
            public void write(byte[] b, int off, int len) {
                expositionBytes.add(len);
            }
        };
        while (running) {
            try {
                roundsToExpose.acquire();
                roundsToExpose.drainPermits();
                writer.write(counter, poller.collect());
                expositions.increment();
            } catch (InterruptedException e) {
                return;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private String counts() {
        return "count polls=" + polls.sum() + " down=" + down.sum() + " varbinds=" + client.resultVarbinds.sum()
                + " received=" + received.sum() + " samples=" + samples.sum() + " partialWalks=" + client.partialWalks.sum()
                + " conflicts=" + conflicts.sum() + " failures=" + failures.sum() + " expositions=" + expositions.sum()
                + " expositionBytes=" + expositionBytes.sum();
    }

    /**
     * Counts what each poll returned: sysUpTime, the scalars and the walked rows (snmp_exporter's
     * {@code snmp_scrape_pdus_returned} counts the same: the varbinds of its result, not those an
     * agent sent past the end of a subtree).
     */
    private static final class CountingClient implements SnmpClient {
        final SnmpClient delegate;
        final LongAdder resultVarbinds = new LongAdder();
        final LongAdder partialWalks = new LongAdder();

        CountingClient(SnmpClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletionStage<Map<Oid, SnmpValue>> get(SnmpTarget target, List<Oid> oids) {
            return delegate.get(target, oids);
        }

        @Override
        public CompletionStage<WalkResult> walk(SnmpTarget target, Oid root) {
            return delegate.walk(target, root);
        }

        @Override
        public CompletionStage<PollResult> poll(SnmpTarget target, PollRequest request) {
            return delegate.poll(target, request).thenApply(r -> {
                long n = r.sysUpTime().isAbsent() ? 0 : 1;
                for (SnmpValue v : r.scalars().values()) {
                    n += v == null || v.isAbsent() ? 0 : 1;
                }
                for (WalkResult w : r.walks().values()) {
                    n += w.rows().size();
                    if (w.isPartial()) {
                        partialWalks.increment();
                    }
                }
                resultVarbinds.add(n);
                return r;
            });
        }
    }

    /** The devices of the targets file; only {@link #target} is asked for by the poller. */
    private record Inventory(Map<String, String> communities) implements DeviceInventory {
        @Override
        public SnmpTarget target(Device device) {
            return new SnmpTarget(device.name(), new InetSocketAddress(device.address(), device.port()),
                    de.sid.verbund.monitoring.SnmpVersion.V2C, new SnmpCredentials.Community(communities.get(device.credentialId())),
                    SnmpTarget.DEFAULT_TIMEOUT, SnmpTarget.DEFAULT_RETRIES, SnmpTarget.DEFAULT_MAX_REPETITIONS,
                    SnmpTarget.DEFAULT_MAX_REQUESTS_PER_WALK);
        }

        /** Empty: the poller schedules nothing of its own; the benchmark asks for every poll. */
        @Override
        public List<Device> allDevices() {
            return List.of();
        }

        @Override
        public Page<Device> devices(int limit, String cursor) {
            return new Page<>(List.of(), null);
        }

        @Override
        public Optional<Device> device(String id) {
            return Optional.empty();
        }

        @Override
        public Device createDevice(NewDevice device) {
            throw new IllegalStateException("the benchmark's inventory is fixed");
        }

        @Override
        public void deleteDevice(String id) {
            throw new IllegalStateException("the benchmark's inventory is fixed");
        }

        @Override
        public List<Credential> credentials() {
            return List.of();
        }

        @Override
        public Optional<Credential> credential(String id) {
            return Optional.empty();
        }

        @Override
        public Credential createCredential(NewCredential credential) {
            throw new IllegalStateException("the benchmark's inventory is fixed");
        }

        @Override
        public void deleteCredential(String id) {
            throw new IllegalStateException("the benchmark's inventory is fixed");
        }

        @Override
        public List<SnmpCredentials> trapCredentials() {
            return List.of();
        }

        @Override
        public de.sid.verbund.monitoring.inventory.Declaration.Outcome declare(
                de.sid.verbund.monitoring.inventory.Declaration declaration) {
            throw new IllegalStateException("the benchmark's inventory is fixed");
        }
    }

    /** The poller's configuration as Karaf would give it, with the concurrency asked for and no inventory re-reads. */
    private static PollerConfig config(Path profiles, int concurrency) {
        return Configs.of(PollerConfig.class, "profiles_dir", profiles.toAbsolutePath().toString(),
                "max_concurrent_polls", concurrency, "sync_interval_s", 86_400);
    }
}
