package de.sid.verbund.benchmarks;

import de.sid.verbund.testsupport.SharedData;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Verbund's SNMP poller against Prometheus' snmp_exporter on the same simulated devices in one
 * run (issue #4's acceptance): varbinds per second and CPU seconds per million varbinds of each
 * poller process.
 *
 * <ol>
 *   <li>The devices: {@link SimulatedDevices} (the replay agent) in its own process, serving the
 *       network devices among the recordings of {@code shared/data/snmprec} (switches, routers,
 *       firewalls: {@link #NETWORK_DEVICES}) on {@code --ports} UDP ports; a device is a port and
 *       a community (= recording), so 30 ports give 270 devices.</li>
 *   <li>Verbund: {@link VerbundPollerProcess} in its own JVM polls them with the profiles {@code
 *       system} and {@code if_mib} (GET sysUpTime/sysObjectID/sysDescr, walks of the system
 *       group, ifTable and ifXTable), {@code --concurrency} polls in flight, as fast as it can,
 *       and writes its {@code /metrics} exposition of all devices once per round of polls, so
 *       that, like snmp_exporter answering a scrape, it renders every sample it polled once
 *       ({@code --no-exposition} leaves that out).</li>
 *   <li>snmp_exporter ({@code prometheus-snmp-exporter}, Debian's 0.21) with the {@code if_mib}
 *       module of {@code shared/data/snmp_exporter/snmp.yml} (walks of ifTable and ifXTable, GET
 *       sysUpTime), copied once per community with {@code auth: community:} (0.21 sets the
 *       community in the module), driven by {@code --concurrency} HTTP scrapers in this process
 *       asking {@code /snmp?module=…&target=127.0.0.1:PORT} one device after the other.</li>
 * </ol>
 *
 * <p>Each poller runs alone (one after the other, the agent staying up), first {@code --warmup}
 * seconds, then {@code --seconds} measured. CPU: utime + stime of the poller's process from
 * {@code /proc/PID/stat} over the measured window. Varbinds: those in the poll's result (the
 * walked rows plus the GET values; snmp_exporter reports the same count per scrape as {@code
 * snmp_scrape_pdus_returned}, which this driver sums); Verbund also reports what it received
 * including the rows past the end of a subtree that a GETBULK brings back.
 *
 * <p>Run: {@code ./verbund benchmark snmp}, or {@code java -cp benchmarks/target/benchmarks.jar
 * de.sid.verbund.benchmarks.SnmpPollerBenchmark [--ports 30] [--concurrency 32] [--warmup 30]
 * [--seconds 30] [--only verbund|exporter] [--exporter /usr/bin/prometheus-snmp-exporter]
 * [--poller-java-opts "-Xmx1g"] [--no-exposition]} from the project directory.
 */
public final class SnmpPollerBenchmark {
    /** Switches, routers and firewalls among the recordings: the devices with many interfaces. */
    static final List<String> NETWORK_DEVICES = List.of("arista_eos_vrf", "fortigate_500d", "iosxe_c9300",
            "iosxe_isr4321", "jetstream_vlans", "junos_qfx5130-32cd-evo", "nxos_n9k-c93180yc-fx3", "pfsense",
            "procurve_2520");
    private static final double CLOCK_TICKS = 100.0;

    private record Device(String community, int port) {
        String name() {
            return community + "@" + port;
        }
    }

    /** What one poller did in the measured window. */
    private record Figures(String poller, double seconds, long polls, long varbinds, double cpuSeconds, long samples,
                           String errors, String note, double agentCpu, double machineBusy, double driverCpu,
                           long peakRssKb) {
        double varbindsPerSecond() {
            return varbinds / seconds;
        }

        double cpuPerMillion() {
            return varbinds == 0 ? Double.NaN : cpuSeconds / varbinds * 1e6;
        }
    }

    public static void main(String[] args) throws Exception {
        int ports = 30;
        int concurrency = 32;
        int warmup = 30;
        int seconds = 30;
        String only = null;
        String exporter = "/usr/bin/prometheus-snmp-exporter";
        String pollerJavaOpts = "-Xmx1g"; // as the distribution's bin/setenv (JAVA_MAX_MEM)
        boolean exposition = true;
        Path profiles = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--ports" -> ports = Integer.parseInt(args[++i]);
                case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--only" -> only = args[++i];
                case "--exporter" -> exporter = args[++i];
                case "--poller-java-opts" -> pollerJavaOpts = args[++i];
                case "--no-exposition" -> exposition = false;
                case "--profiles" -> profiles = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (profiles == null) {
            profiles = projectFile("monitoring/profiles");
        }
        Path snmprec = SharedData.data("snmprec");
        Path snmpYml = SharedData.data("snmp_exporter/snmp.yml");
        Path work = Files.createTempDirectory("verbund-snmp-bench");
        Path data = Files.createDirectories(work.resolve("snmprec"));
        for (String community : NETWORK_DEVICES) {
            Files.createSymbolicLink(data.resolve(community + ".snmprec"), snmprec.resolve(community + ".snmprec"));
        }
        System.out.printf(Locale.ROOT, "SNMP poller benchmark on %d cores (%s, load average %s); work files in %s%n",
                Runtime.getRuntime().availableProcessors(), cpuModel(), loadAverage(), work);

        Process agent = child(work, "agent", List.of("-Xmx512m"), SimulatedDevices.class, "--data", data.toString(),
                "--ports", Integer.toString(ports));
        List<Device> devices = new ArrayList<>();
        try {
            BufferedReader agentOut = reader(agent);
            String line = agentOut.readLine();
            if (line == null || !line.startsWith("ports ")) {
                throw new IllegalStateException("the replay agent did not start: see " + work.resolve("agent.err"));
            }
            for (String port : line.substring(6).trim().split(" ")) {
                for (String community : NETWORK_DEVICES) {
                    devices.add(new Device(community, Integer.parseInt(port)));
                }
            }
            System.out.printf(Locale.ROOT, "devices: %d (%d recordings × %d ports of one replay agent process, pid %d); "
                    + "%d polls/scrapes in flight; warm-up %d s, measured %d s%n", devices.size(), NETWORK_DEVICES.size(),
                    ports, agent.pid(), concurrency, warmup, seconds);

            List<Figures> results = new ArrayList<>();
            if (only == null || only.equals("verbund")) {
                results.add(runVerbund(work, devices, profiles, concurrency, warmup, seconds, pollerJavaOpts, exposition,
                        agent.pid()));
            }
            if (only == null || only.equals("exporter")) {
                results.add(runExporter(work, devices, snmpYml, exporter, concurrency, warmup, seconds, agent.pid()));
            }
            print(results);
        } finally {
            agent.getOutputStream().close();
            agent.waitFor();
        }
    }

    // --- Verbund -------------------------------------------------------------------------------

    private static Figures runVerbund(Path work, List<Device> devices, Path profiles, int concurrency, int warmup,
                                      int seconds, String javaOpts, boolean exposition, long agentPid) throws Exception {
        Path targets = work.resolve("verbund-targets.txt");
        StringBuilder t = new StringBuilder();
        for (Device d : devices) {
            t.append(d.name()).append(" 127.0.0.1 ").append(d.port()).append(' ').append(d.community()).append('\n');
        }
        Files.writeString(targets, t);
        List<String> args = new ArrayList<>(List.of("--targets", targets.toString(), "--profiles", profiles.toString(),
                "--concurrency", Integer.toString(concurrency)));
        if (exposition) {
            args.add("--expose");
        }
        Process p = child(work, "verbund", List.of(javaOpts.trim().split("\\s+")), VerbundPollerProcess.class,
                args.toArray(String[]::new));
        BufferedReader out = reader(p);
        BufferedWriter in = new BufferedWriter(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8));
        try {
            String ready = out.readLine();
            while (ready != null && !ready.startsWith("ready")) {
                ready = out.readLine(); // e.g. the JVM's "Started recording" of -XX:StartFlightRecording
            }
            if (ready == null) {
                throw new IllegalStateException("Verbund's poller did not start: see " + work.resolve("verbund.err"));
            }
            System.out.printf(Locale.ROOT, "Verbund poller process pid %d (%s): warming up%n", p.pid(), javaOpts);
            Thread.sleep(warmup * 1000L);
            Map<String, Long> c0 = counts(in, out);
            Window w = Window.start(p.pid(), agentPid);
            Thread.sleep(seconds * 1000L);
            Map<String, Long> c1 = counts(in, out);
            w.end();
            long polls = c1.get("polls") - c0.get("polls");
            long varbinds = c1.get("varbinds") - c0.get("varbinds");
            long received = c1.get("received") - c0.get("received");
            String errors = (c1.get("down") - c0.get("down")) + " unreachable, "
                    + (c1.get("partialWalks") - c0.get("partialWalks")) + " partial walks, "
                    + (c1.get("failures") - c0.get("failures")) + " failed, "
                    + (c1.get("conflicts") - c0.get("conflicts")) + " skipped (still being polled)";
            String note = String.format(Locale.ROOT, "received %,d varbinds (%.1f CPU s per 1M), %d expositions of %,.0f kB",
                    received, w.cpu / received * 1e6, c1.get("expositions") - c0.get("expositions"),
                    (c1.get("expositionBytes") - c0.get("expositionBytes")) / 1e3);
            return new Figures("Verbund", w.seconds, polls, varbinds, w.cpu, c1.get("samples") - c0.get("samples"), errors,
                    note, w.agentCpu, w.machineBusy, Double.NaN, peakRssKb(p.pid()));
        } finally {
            in.close();
            p.waitFor();
        }
    }

    private static Map<String, Long> counts(BufferedWriter in, BufferedReader out) throws IOException {
        in.write("count\n");
        in.flush();
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("count ")) {
                Map<String, Long> m = new HashMap<>();
                for (String kv : line.substring(6).split(" ")) {
                    int eq = kv.indexOf('=');
                    m.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
                }
                return m;
            }
        }
        throw new IllegalStateException("Verbund's poller process ended");
    }

    // --- snmp_exporter -------------------------------------------------------------------------

    private static Figures runExporter(Path work, List<Device> devices, Path snmpYml, String exporter, int concurrency,
                                       int warmup, int seconds, long agentPid) throws Exception {
        Path config = work.resolve("snmp.yml");
        Map<String, String> modules = writeExporterConfig(snmpYml, config);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(exporter, "--config.file=" + config, "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn");
        pb.redirectOutput(work.resolve("exporter.out").toFile());
        pb.redirectError(work.resolve("exporter.err").toFile());
        Process p = pb.start();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String base = "http://127.0.0.1:" + port;
        try {
            waitForHttp(http, base + "/metrics", p, work);
            System.out.printf(Locale.ROOT, "snmp_exporter process pid %d (%s, %d modules if_mib_*): warming up%n", p.pid(),
                    exporter, modules.size());
            Scrapers scrapers = new Scrapers(http, base, devices, modules);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                Thread th = new Thread(scrapers::run, "scraper-" + i);
                th.setDaemon(true);
                th.start();
                threads.add(th);
            }
            Thread.sleep(warmup * 1000L);
            long[] c0 = scrapers.snapshot();
            double driver0 = ownCpuSeconds();
            Window w = Window.start(p.pid(), agentPid);
            Thread.sleep(seconds * 1000L);
            long[] c1 = scrapers.snapshot();
            w.end();
            double driverCpu = ownCpuSeconds() - driver0;
            long rss = peakRssKb(p.pid());
            scrapers.running = false;
            for (Thread th : threads) {
                th.join(15_000);
            }
            String errors = (c1[3] - c0[3]) + " failed scrapes, " + (c1[4] - c0[4]) + " packets retried";
            return new Figures("snmp_exporter", w.seconds, c1[0] - c0[0], c1[1] - c0[1], w.cpu, c1[2] - c0[2], errors,
                    String.format(Locale.ROOT, "%,.0f kB of exposition read", (c1[5] - c0[5]) / 1e3),
                    w.agentCpu, w.machineBusy, driverCpu, rss);
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    /**
     * Writes one copy of snmp.yml's {@code if_mib} module per community, named {@code
     * if_mib_<community>}, with {@code auth: community: <community>} added (snmp_exporter 0.21
     * takes the community from the module; 0.23 and later from a separate {@code auths} section).
     *
     * @return module name by community
     */
    static Map<String, String> writeExporterConfig(Path snmpYml, Path out) throws IOException {
        List<String> lines = Files.readAllLines(snmpYml);
        List<String> module = new ArrayList<>();
        boolean in = false;
        for (String line : lines) {
            if (line.equals("if_mib:")) {
                in = true;
            } else if (in && !line.isEmpty() && !Character.isWhitespace(line.charAt(0))) {
                break;
            } else if (in) {
                if (line.startsWith("  auth:")) {
                    throw new IllegalStateException(snmpYml + ": the if_mib module already has an auth section");
                }
                module.add(line);
            }
        }
        if (module.isEmpty()) {
            throw new IllegalStateException(snmpYml + " has no if_mib module");
        }
        Map<String, String> modules = new LinkedHashMap<>();
        StringBuilder yml = new StringBuilder("# if_mib of ").append(snmpYml).append(", once per community\n");
        for (String community : NETWORK_DEVICES) {
            String name = "if_mib_" + community;
            modules.put(community, name);
            yml.append(name).append(":\n");
            module.forEach(l -> yml.append(l).append('\n'));
            yml.append("  auth:\n    community: '").append(community.replace("'", "''")).append("'\n");
        }
        Files.writeString(out, yml);
        return modules;
    }

    private static void waitForHttp(HttpClient http, String url, Process p, Path work) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("snmp_exporter did not start: see " + work.resolve("exporter.err"), e);
                }
            }
            Thread.sleep(100);
        }
    }

    /** HTTP scrapers of snmp_exporter, one device after the other, as Prometheus would ask for each target. */
    private static final class Scrapers {
        private static final byte[] PDUS = "\nsnmp_scrape_pdus_returned ".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] RETRIED = "\nsnmp_scrape_packets_retried ".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] SCRAPE = "snmp_scrape_".getBytes(StandardCharsets.US_ASCII);
        final HttpClient http;
        final List<HttpRequest> requests = new ArrayList<>();
        final AtomicInteger next = new AtomicInteger();
        final LongAdder scrapes = new LongAdder();
        final LongAdder varbinds = new LongAdder();
        final LongAdder samples = new LongAdder();
        final LongAdder failures = new LongAdder();
        final LongAdder retried = new LongAdder();
        final LongAdder bytes = new LongAdder();
        volatile boolean running = true;

        Scrapers(HttpClient http, String base, List<Device> devices, Map<String, String> modules) {
            this.http = http;
            for (Device d : devices) {
                requests.add(HttpRequest.newBuilder(URI.create(base + "/snmp?module=" + modules.get(d.community())
                        + "&target=127.0.0.1:" + d.port())).timeout(Duration.ofSeconds(60)).build());
            }
        }

        void run() {
            while (running) {
                HttpRequest r = requests.get(Math.floorMod(next.getAndIncrement(), requests.size()));
                try {
                    HttpResponse<byte[]> response = http.send(r, HttpResponse.BodyHandlers.ofByteArray());
                    byte[] body = response.body();
                    long pdus = value(body, PDUS);
                    if (response.statusCode() != 200 || pdus < 0) {
                        failures.increment();
                        continue;
                    }
                    scrapes.increment();
                    varbinds.add(pdus);
                    retried.add(Math.max(0, value(body, RETRIED)));
                    samples.add(samples(body));
                    bytes.add(body.length);
                } catch (IOException e) {
                    failures.increment();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long[] snapshot() {
            return new long[] {scrapes.sum(), varbinds.sum(), samples.sum(), failures.sum(), retried.sum(), bytes.sum()};
        }

        /** @return the integer after {@code key} (a line start and a metric name), or -1 */
        private static long value(byte[] body, byte[] key) {
            outer:
            for (int i = 0; i + key.length <= body.length; i++) {
                for (int j = 0; j < key.length; j++) {
                    if (body[i + j] != key[j]) {
                        continue outer;
                    }
                }
                long v = 0;
                int k = i + key.length;
                while (k < body.length && body[k] >= '0' && body[k] <= '9') {
                    v = v * 10 + (body[k++] - '0');
                }
                return v;
            }
            return -1;
        }

        /** @return the sample lines of the device's metrics (neither {@code #} lines nor snmp_exporter's own {@code snmp_scrape_*}) */
        private static long samples(byte[] body) {
            long n = 0;
            for (int i = 0; i < body.length; i++) {
                if ((i == 0 || body[i - 1] == '\n') && body[i] != '#' && body[i] != '\n' && !startsWith(body, i, SCRAPE)) {
                    n++;
                }
            }
            return n;
        }

        private static boolean startsWith(byte[] body, int at, byte[] prefix) {
            if (at + prefix.length > body.length) {
                return false;
            }
            for (int j = 0; j < prefix.length; j++) {
                if (body[at + j] != prefix[j]) {
                    return false;
                }
            }
            return true;
        }
    }

    // --- measuring -----------------------------------------------------------------------------

    /** CPU of the poller and the agent, and the machine's busy cores, over the measured window. */
    private static final class Window {
        final long pid;
        final long agentPid;
        final long start = System.nanoTime();
        final double cpu0;
        final double agent0;
        final long[] machine0;
        double seconds;
        double cpu;
        double agentCpu;
        double machineBusy;

        private Window(long pid, long agentPid) throws IOException {
            this.pid = pid;
            this.agentPid = agentPid;
            cpu0 = cpuSeconds(pid);
            agent0 = cpuSeconds(agentPid);
            machine0 = machineTicks();
        }

        static Window start(long pid, long agentPid) throws IOException {
            return new Window(pid, agentPid);
        }

        void end() throws IOException {
            cpu = cpuSeconds(pid) - cpu0;
            agentCpu = cpuSeconds(agentPid) - agent0;
            long[] m = machineTicks();
            seconds = (System.nanoTime() - start) / 1e9;
            machineBusy = (m[0] - machine0[0]) / CLOCK_TICKS / seconds;
        }
    }

    /** utime + stime of a process (all its threads), from /proc/PID/stat, in seconds. */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / CLOCK_TICKS;
    }

    /** @return busy ticks of the whole machine (all but idle and iowait), from /proc/stat */
    private static long[] machineTicks() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
        String[] f = cpu.trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i < f.length && i <= 8; i++) {
            if (i != 4 && i != 5) {
                busy += Long.parseLong(f[i]);
            }
        }
        return new long[] {busy};
    }

    /** @return the peak resident set of a process (VmHWM in /proc/PID/status), kB */
    static long peakRssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static double ownCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    private static void print(List<Figures> results) {
        System.out.println();
        System.out.printf(Locale.ROOT, "%-14s %8s %11s %11s %7s %6s %11s %8s %6s %8s%n", "poller", "polls/s",
                "varbinds/s", "samples/s", "CPU s", "cores", "CPU s/1M vb", "peak RSS", "agent", "machine");
        for (Figures f : results) {
            System.out.printf(Locale.ROOT, "%-14s %8.1f %,11.0f %,11.0f %7.2f %6.2f %11.2f %5d MB %6.2f %8.2f%n", f.poller(),
                    f.polls() / f.seconds(), f.varbindsPerSecond(), f.samples() / f.seconds(), f.cpuSeconds(),
                    f.cpuSeconds() / f.seconds(), f.cpuPerMillion(), f.peakRssKb() / 1024, f.agentCpu() / f.seconds(),
                    f.machineBusy());
        }
        System.out.println("(cores: the poller's CPU s per s; agent: the replay agent's cores; machine: all cores busy, "
                + "whatever process)");
        System.out.println();
        for (Figures f : results) {
            System.out.printf(Locale.ROOT, "%s: %,d polls, %,d varbinds in %.1f s; errors: %s; %s%s%n", f.poller(), f.polls(),
                    f.varbinds(), f.seconds(), f.errors(), f.note(), Double.isNaN(f.driverCpu()) ? ""
                            : String.format(Locale.ROOT, "; the scraping driver (this JVM) used %.2f cores",
                                    f.driverCpu() / f.seconds()));
        }
        if (results.size() == 2) {
            Figures v = results.get(0);
            Figures e = results.get(1);
            System.out.printf(Locale.ROOT, "%nVerbund / snmp_exporter CPU per varbind: %.2f (target at most 0.50); "
                    + "Verbund %,.0f varbinds/s (target at least 100,000); throughput %.1f× snmp_exporter's%n",
                    v.cpuPerMillion() / e.cpuPerMillion(), v.varbindsPerSecond(), v.varbindsPerSecond() / e.varbindsPerSecond());
        }
    }

    // --- processes -----------------------------------------------------------------------------

    private static Process child(Path work, String name, List<String> javaOpts, Class<?> main, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(javaOpts);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(work.resolve(name + ".err").toFile());
        return pb.start();
    }

    private static BufferedReader reader(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    private static Path projectFile(String relative) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve(relative))) {
                return p.resolve(relative);
            }
        }
        throw new IllegalStateException(relative + " not found beside the working directory or its ancestors; "
                + "run from the project directory or give --profiles DIR");
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }
}
