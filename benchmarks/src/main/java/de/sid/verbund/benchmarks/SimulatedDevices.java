package de.sid.verbund.benchmarks;

import de.sid.verbund.monitoring.snmpsim.DataDirectory;
import de.sid.verbund.monitoring.snmpsim.ReplayAgent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulated devices of {@link SnmpPollerBenchmark}, in a process of their own so that their
 * CPU is counted for neither poller: the replay agent ({@link ReplayAgent}, as {@code ./verbund
 * snmpsim}) over the {@code .snmprec} files of {@code --data} (community = file name), started
 * {@code --ports N} times on N free UDP ports of 127.0.0.1, one receiving thread each. A device
 * is one port and one community: N ports times F files are N × F devices.
 *
 * <p>Prints {@code ports P1 P2 …} on standard output once all listen, and a closing line with
 * the requests and varbinds answered when standard input ends (the benchmark closes it).
 */
public final class SimulatedDevices {
    private SimulatedDevices() {
    }

    public static void main(String[] args) throws Exception {
        Path data = null;
        int ports = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[++i]);
                case "--ports" -> ports = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (data == null || ports < 1) {
            throw new IllegalArgumentException("usage: SimulatedDevices --data DIR --ports N");
        }
        DataDirectory dir = DataDirectory.load(data);
        List<ReplayAgent> agents = new ArrayList<>();
        StringBuilder line = new StringBuilder("ports");
        for (int i = 0; i < ports; i++) {
            ReplayAgent a = ReplayAgent.start(dir.tables(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            agents.add(a);
            line.append(' ').append(a.address().getPort());
        }
        System.out.println(line);
        System.out.flush();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            while (in.readLine() != null) {
                // the benchmark closes our standard input to stop us
            }
        }
        long requests = 0;
        long varbinds = 0;
        long unanswered = 0;
        for (ReplayAgent a : agents) {
            requests += a.requests();
            varbinds += a.answeredVarbinds();
            unanswered += a.unanswered();
            a.close();
        }
        System.out.printf("agent: %d requests, %d varbinds answered, %d unanswered%n", requests, varbinds, unanswered);
    }
}
