package de.sid.verbund.benchmarks;

import de.sid.verbund.monitoring.snmpsim.DataDirectory;
import de.sid.verbund.monitoring.snmpsim.ReplayAgent;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.snmp4j.CommunityTarget;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.Snmp;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.event.ResponseListener;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * Load driver for the SNMP replay agent: {@code concurrency} walkers, each walking one recorded
 * device after the other (round robin over the communities) with SNMPv2c GETBULK
 * (non-repeaters 0) or GETNEXT from {@code 0.0} to {@code endOfMibView}, asynchronously over one
 * SNMP4J UDP transport. After a warm-up, counts the varbinds and requests answered for
 * {@code --seconds} and prints their rates, timeouts, and the CPU seconds per million varbinds of
 * the agent's process ({@code --agent-pid}, from /proc) and of this driver.
 *
 * <p>Against a separate agent (the honest figure: the driver does not share the agent's JVM):
 * {@code ./verbund snmpsim --data ../shared/data/snmprec --listen 127.0.0.1:16100}, then
 * {@code java -cp benchmarks/target/benchmarks.jar de.sid.verbund.benchmarks.SnmpsimLoad
 * --target 127.0.0.1:16100 --agent-pid PID}. Without {@code --target} it starts an agent in
 * this JVM over {@code --data} (default {@code shared/data/snmprec} beside the working directory
 * or an ancestor). Other options: {@code --seconds 20 --warmup 5 --concurrency 32
 * --max-repetitions 25 --pdu bulk|next --transports 1} (driver UDP
 * transports, one receiving thread each) {@code --threads 1} (agent worker threads, in-process only).
 */
public final class SnmpsimLoad {
    private final List<Snmp> clients;
    private final UdpAddress target;
    private final List<String> communities;
    private final boolean bulk;
    private final int maxRepetitions;
    private final AtomicInteger nextCommunity = new AtomicInteger();
    private final AtomicLong varbinds = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong walks = new AtomicLong();
    private volatile boolean running = true;

    private SnmpsimLoad(List<Snmp> clients, UdpAddress target, List<String> communities, boolean bulk, int maxRepetitions) {
        this.clients = clients;
        this.target = target;
        this.communities = communities;
        this.bulk = bulk;
        this.maxRepetitions = maxRepetitions;
    }

    public static void main(String[] args) throws Exception {
        String targetArg = null;
        Path data = null;
        int seconds = 20;
        int warmup = 5;
        int concurrency = 32;
        int maxRepetitions = 25;
        boolean bulk = true;
        int threads = 1;
        int transports = 1;
        long agentPid = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--target" -> targetArg = args[++i];
                case "--data" -> data = Path.of(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
                case "--max-repetitions" -> maxRepetitions = Integer.parseInt(args[++i]);
                case "--pdu" -> bulk = !"next".equals(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--agent-pid" -> agentPid = Long.parseLong(args[++i]);
                case "--transports" -> transports = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        DataDirectory dir = DataDirectory.load(data != null ? data : sharedRecordings());
        List<String> communities = new ArrayList<>(dir.tables().keySet());
        ReplayAgent inProcess = null;
        UdpAddress target;
        if (targetArg == null) {
            inProcess = ReplayAgent.start(dir.tables(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), threads);
            target = new UdpAddress(inProcess.address().getAddress(), inProcess.address().getPort());
            agentPid = ProcessHandle.current().pid();
        } else {
            target = new UdpAddress(targetArg.replace(':', '/'));
        }
        List<Snmp> clients = new ArrayList<>();
        for (int i = 0; i < transports; i++) {
            MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
            dispatcher.addMessageProcessingModel(new MPv2c());
            DefaultUdpTransportMapping transport = new DefaultUdpTransportMapping(new UdpAddress(InetAddress.getLoopbackAddress(), 0));
            transport.setReceiveBufferSize(4 << 20);
            Snmp snmp = new Snmp(dispatcher, transport);
            snmp.listen();
            clients.add(snmp);
        }
        SnmpsimLoad load = new SnmpsimLoad(clients, target, communities, bulk, maxRepetitions);
        System.out.printf("snmpsim load: %d walkers on %d transports, %s, %d communities (%d records) at %s%s%n",
                concurrency, transports,
                bulk ? "GETBULK max-repetitions " + maxRepetitions : "GETNEXT", communities.size(), dir.records(), target,
                inProcess != null ? " (agent in this JVM, " + threads + " worker threads)" : "");
        for (int i = 0; i < concurrency; i++) {
            load.startWalk(clients.get(i % transports));
        }
        Thread.sleep(warmup * 1000L);
        long v0 = load.varbinds.get();
        long r0 = load.requests.get();
        long t0 = load.timeouts.get();
        long w0 = load.walks.get();
        double agentCpu0 = cpuSeconds(agentPid);
        double ownCpu0 = ownCpuSeconds();
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long v = load.varbinds.get() - v0;
        long r = load.requests.get() - r0;
        double agentCpu = cpuSeconds(agentPid) - agentCpu0;
        double ownCpu = ownCpuSeconds() - ownCpu0;
        load.running = false;
        System.out.printf("%.0f varbinds/s, %.0f requests/s, %d walks, %d timeouts in %.1f s%n", v / elapsed, r / elapsed,
                load.walks.get() - w0, load.timeouts.get() - t0, elapsed);
        if (inProcess == null && agentPid > 0) {
            System.out.printf("CPU per million varbinds: agent %.2f s, driver %.2f s (agent %.2f cores busy)%n",
                    agentCpu / v * 1e6, ownCpu / v * 1e6, agentCpu / elapsed);
        } else if (inProcess != null) {
            System.out.printf("CPU per million varbinds: agent and driver together %.2f s (%.2f cores busy)%n",
                    agentCpu / v * 1e6, agentCpu / elapsed);
        }
        Thread.sleep(500);
        for (Snmp snmp : clients) {
            snmp.close();
        }
        if (inProcess != null) {
            inProcess.close();
        }
    }

    private void startWalk(Snmp snmp) {
        if (!running) {
            return;
        }
        String community = communities.get(Math.floorMod(nextCommunity.getAndIncrement(), communities.size()));
        CommunityTarget<UdpAddress> t = new CommunityTarget<>(target, new OctetString(community));
        t.setVersion(SnmpConstants.version2c);
        t.setTimeout(2000);
        t.setRetries(0);
        send(snmp, t, new OID("0.0"));
    }

    private void send(Snmp snmp, CommunityTarget<UdpAddress> t, OID from) {
        PDU pdu = new PDU();
        pdu.setType(bulk ? PDU.GETBULK : PDU.GETNEXT);
        if (bulk) {
            pdu.setMaxRepetitions(maxRepetitions);
        }
        pdu.add(new VariableBinding(from));
        try {
            snmp.send(pdu, t, null, new ResponseListener() {
                @Override
                public <A extends org.snmp4j.smi.Address> void onResponse(ResponseEvent<A> event) {
                    ((Snmp) event.getSource()).cancel(event.getRequest(), this);
                    PDU response = event.getResponse();
                    if (response == null) {
                        timeouts.incrementAndGet();
                        startWalk(snmp);
                        return;
                    }
                    requests.incrementAndGet();
                    varbinds.addAndGet(response.size());
                    VariableBinding last = response.size() > 0 ? response.get(response.size() - 1) : null;
                    if (last == null || last.getVariable().isException()) {
                        walks.incrementAndGet();
                        startWalk(snmp);
                    } else if (running) {
                        send(snmp, t, last.getOid());
                    }
                }
            });
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path sharedRecordings() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/data/snmprec");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/data/snmprec not found; give --data DIR");
    }

    /** user + system CPU seconds of a process, from /proc/PID/stat (clock ticks of 1/100 s). */
    private static double cpuSeconds(long pid) throws java.io.IOException {
        if (pid <= 0) {
            return 0;
        }
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    private static double ownCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }
}
