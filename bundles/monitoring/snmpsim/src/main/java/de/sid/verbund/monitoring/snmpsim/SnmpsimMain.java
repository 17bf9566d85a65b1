package de.sid.verbund.monitoring.snmpsim;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./verbund snmpsim --data DIR --listen HOST:PORT [--threads N]}: serves the
 * {@code .snmprec} files of a directory in the foreground until interrupted.
 */
public final class SnmpsimMain {
    static final String USAGE = "usage: verbund snmpsim --data DIR --listen HOST:PORT [--threads N]";

    private SnmpsimMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream err = System.err;
        Path data = null;
        InetSocketAddress listen = null;
        int threads = 1;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--data" -> data = Path.of(value(args, ++i, a));
                    case "--listen" -> listen = parseListen(value(args, ++i, a));
                    case "--threads" -> threads = Integer.parseInt(value(args, ++i, a));
                    case "-h", "--help" -> {
                        err.println(USAGE);
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (data == null || listen == null) {
                throw new IllegalArgumentException("--data and --listen are required");
            }
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be at least 1");
            }
        } catch (IllegalArgumentException | UnknownHostException e) {
            err.println("snmpsim: error: " + e.getMessage());
            err.println(USAGE);
            System.exit(2);
            return;
        }
        DataDirectory dir;
        try {
            dir = DataDirectory.load(data);
        } catch (IOException e) {
            err.println("snmpsim: error: " + e.getMessage());
            System.exit(1);
            return;
        }
        for (SnmprecProblem p : dir.problems()) {
            err.println("snmpsim: warning: " + p);
        }
        if (dir.tables().isEmpty()) {
            err.println("snmpsim: warning: no *.snmprec files under " + data);
        }
        ReplayAgent agent;
        try {
            agent = ReplayAgent.start(dir.tables(), listen, threads);
        } catch (IOException e) {
            err.println("snmpsim: error: " + e.getMessage());
            System.exit(1);
            return;
        }
        InetSocketAddress bound = agent.address();
        err.printf("snmpsim: %d communities, %d records from %s (%d lines skipped)%n",
                dir.tables().size(), dir.records(), data, dir.problems().size());
        err.printf("snmpsim: listening on udp:%s:%d (SNMPv1, SNMPv2c; community = file name); Ctrl-C stops%n",
                bound.getAddress().getHostAddress(), bound.getPort());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            err.printf("snmpsim: stopped after %d requests, %d varbinds answered%n",
                    agent.requests(), agent.answeredVarbinds());
            stopped.countDown();
        }, "snmpsim-shutdown"));
        stopped.await();
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** {@code HOST:PORT}, {@code [V6]:PORT} or {@code PORT} (loopback). */
    static InetSocketAddress parseListen(String s) throws UnknownHostException {
        int colon = s.lastIndexOf(':');
        String host = colon < 0 ? "127.0.0.1" : s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--listen wants HOST:PORT, not '" + s + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range");
        }
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }
}
