package de.sid.verbund.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's {@code snmpsimd} (the snmpsim package) serving {@code .snmprec} files on loopback
 * UDP ports, one community per file name, for tests that compare against the reference
 * simulator. Run as root, each process drops to {@code nobody}/{@code nogroup}, as snmpsimd
 * demands; its variation-module cache is then owned by {@code nobody}.
 */
public final class Snmpsimd implements AutoCloseable {
    private final List<Process> processes = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();

    private Snmpsimd() {
    }

    /**
     * Starts {@code count} snmpsimd processes serving {@code dataDir}, each on a free loopback
     * port (answering a few seconds later: wait for an answer before using them).
     *
     * @param workDir where caches and logs go ({@code snmpsimdN.log}); made world-readable
     * @throws IllegalStateException when snmpsimd is not on the PATH
     */
    public static Snmpsimd start(Path dataDir, Path workDir, int count) throws IOException {
        String exe = executable();
        boolean root = "root".equals(System.getProperty("user.name"));
        UserPrincipal nobody = root
                ? workDir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody") : null;
        Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Snmpsimd s = new Snmpsimd();
        try {
            for (int i = 0; i < count; i++) {
                Path cache = Files.createDirectories(workDir.resolve("snmpsimd-cache" + i));
                if (root) {
                    Files.setOwner(cache, nobody);
                }
                int port = Ports.freeUdpPort();
                List<String> cmd = new ArrayList<>(List.of(exe, "--data-dir=" + dataDir, "--cache-dir=" + cache,
                        "--agent-udpv4-endpoint=127.0.0.1:" + port, "--logging-method=null"));
                if (root) {
                    cmd.addAll(List.of("--process-user=nobody", "--process-group=nogroup"));
                }
                Path log = workDir.resolve("snmpsimd" + i + ".log");
                s.processes.add(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start());
                s.ports.add(port);
                s.logs.add(log);
            }
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** @return the UDP port of each process, in start order */
    public List<Integer> ports() {
        return List.copyOf(ports);
    }

    /** @return whether process {@code i} still runs */
    public boolean isAlive(int i) {
        return processes.get(i).isAlive();
    }

    /** @return the log file of process {@code i} */
    public Path log(int i) {
        return logs.get(i);
    }

    /**
     * Copies every {@code .snmprec} file of {@code from} to {@code to}, leaving out the given
     * lines (1-based, per file name): lines snmpsimd cannot serve and would crash on.
     */
    public static void copyWithout(Path from, Path to, Map<Path, Set<Integer>> leaveOut) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".snmprec")).toList()) {
                Set<Integer> skip = leaveOut.getOrDefault(f.getFileName(), Set.of());
                List<String> lines = Files.readAllLines(f, StandardCharsets.ISO_8859_1);
                List<String> kept = new ArrayList<>();
                for (int i = 0; i < lines.size(); i++) {
                    if (!skip.contains(i + 1)) {
                        kept.add(lines.get(i));
                    }
                }
                Files.write(to.resolve(f.getFileName()), kept, StandardCharsets.ISO_8859_1);
            }
        }
    }

    /** @return the snmpsimd executable on the PATH */
    public static String executable() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "snmpsimd"))) {
                return Path.of(dir, "snmpsimd").toString();
            }
        }
        throw new IllegalStateException("snmpsimd not found on PATH: install Debian's snmpsim"
                + " (apt-get install snmpsim; ./verbund test installs it)");
    }

    /** Stops every process: TERM, then KILL after 5 s. */
    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
