package de.sid.verbund.itests.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A network partition on this machine: one node's Hazelcast member cut off from the others by an
 * nftables table of its own ({@code inet verbund_part_<random>}, a filter chain on the output
 * hook), which drops every TCP segment between the isolated member's address and port and the
 * other members' addresses and ports, in both directions. The nodes need
 * {@link ClusterNodes#ownLoopbackAddresses()}: a member opens its connections from its own
 * address, so a rule can tell them apart. Nothing else is touched: the nodes still reach the
 * database, the broker and the test over {@code 127.0.0.1}.
 *
 * <p>Needs root and the {@code nft} command (Debian {@code nftables}, in the {@code verbund}
 * script's test packages). {@link #heal()} deletes the table; {@link #close()} does so too, and a
 * shutdown hook covers a test JVM that ends without either.
 */
public final class LoopbackPartition implements AutoCloseable {
    private final String table = "verbund_part_" + UUID.randomUUID().toString().substring(0, 8);
    private final Thread hook = new Thread(this::deleteQuietly, "nft-cleanup");
    private boolean active;

    private LoopbackPartition() {
    }

    /**
     * Cuts node {@code isolated}'s member off from every other node's member.
     *
     * @return the partition, in force until {@link #heal()}
     * @throws IllegalStateException when nft fails (not root, no nftables) or a node shares its address
     */
    public static LoopbackPartition isolate(ClusterNodes cluster, int isolated) {
        ClusterNodes.Node x = cluster.node(isolated);
        List<ClusterNodes.Node> others = cluster.nodes().stream().filter(n -> n.number() != isolated).toList();
        if (others.stream().anyMatch(n -> n.address().equals(x.address()))) {
            throw new IllegalStateException("node " + isolated + " shares its address " + x.address()
                    + " with another member: start the cluster with ownLoopbackAddresses()");
        }
        String addresses = "{ " + others.stream().map(ClusterNodes.Node::address).collect(Collectors.joining(", ")) + " }";
        String ports = "{ " + others.stream().map(n -> Integer.toString(n.hazelcastPort())).collect(Collectors.joining(", ")) + " }";
        LoopbackPartition p = new LoopbackPartition();
        String rules = "table inet " + p.table + " {\n"
                + "  chain out {\n"
                + "    type filter hook output priority 0; policy accept;\n"
                // the isolated member's connections to the others, and the others' answers
                + "    ip saddr " + x.address() + " ip daddr " + addresses + " tcp dport " + ports + " drop\n"
                + "    ip saddr " + addresses + " ip daddr " + x.address() + " tcp sport " + ports + " drop\n"
                // the others' connections to the isolated member, and its answers
                + "    ip saddr " + addresses + " ip daddr " + x.address() + " tcp dport " + x.hazelcastPort() + " drop\n"
                + "    ip saddr " + x.address() + " ip daddr " + addresses + " tcp sport " + x.hazelcastPort() + " drop\n"
                + "  }\n"
                + "}\n";
        Runtime.getRuntime().addShutdownHook(p.hook);
        p.active = true;
        try {
            nft(rules, "-f", "-");
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
        return p;
    }

    /** @return the nftables table's name */
    public String table() {
        return table;
    }

    /** Deletes the table: the members reach each other again. Idempotent. */
    public synchronized void heal() {
        if (!active) {
            return;
        }
        nft(null, "delete", "table", "inet", table);
        active = false;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway and finds nothing to do
        }
    }

    private synchronized void deleteQuietly() {
        if (active) {
            try {
                nft(null, "delete", "table", "inet", table);
            } catch (RuntimeException e) {
                System.err.println("could not delete nftables table inet " + table + ": " + e.getMessage());
            }
            active = false;
        }
    }

    /** Heals, if not done yet. */
    @Override
    public void close() {
        deleteQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down
        }
    }

    private static void nft(String stdin, String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "nft";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed (root and Debian nftables needed): " + out
                        + (stdin == null ? "" : "\n" + stdin));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("nft not found (Debian package nftables)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
