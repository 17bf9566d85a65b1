package de.sid.verbund.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A real libvirt daemon (Debian's {@code libvirtd} from the libvirt-daemon package) for tests,
 * in session mode: everything it keeps (socket, configuration, storage pools, qemu capability
 * cache) lives under its own directory, so several run side by side as separate "hosts" and
 * nothing of the machine's libvirt is touched. Run as root, it drops to {@code nobody} with
 * {@code setpriv} (a root libvirtd would be the system daemon, with fixed paths); root still
 * connects to its socket. Clients reach it at {@link #uri()}.
 */
public final class LibvirtDaemon implements AutoCloseable {
    private static final String LIBVIRTD = "/usr/sbin/libvirtd";

    private final Process process;
    private final Path dir;
    private final Path socket;

    private LibvirtDaemon(Process process, Path dir) {
        this.process = process;
        this.dir = dir;
        this.socket = dir.resolve("run/libvirt/libvirt-sock");
    }

    /**
     * Starts a daemon and waits (up to 20 s) until its socket accepts connections.
     *
     * @param dir an empty directory of its own; made accessible to {@code nobody}. Its path must
     *        be short enough for a unix socket ({@code dir/run/libvirt/libvirt-sock} under 108 bytes)
     * @throws IllegalStateException when libvirtd is not installed or does not come up
     */
    public static LibvirtDaemon start(Path dir) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(LIBVIRTD))) {
            throw new IllegalStateException(LIBVIRTD + " not found: install Debian's libvirt-daemon "
                    + "(apt-get install --no-install-recommends libvirt-daemon qemu-utils qemu-system-x86; "
                    + "./verbund test installs them)");
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Files.createDirectories(dir);
        // nobody must reach it: open it and its parents below the temporary directory (JUnit makes them 0700)
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        for (Path p = dir.toAbsolutePath(); p != null && p.startsWith(tmp) && !p.equals(tmp); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        if (root) {
            UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(dir, nobody);
        }
        List<String> cmd = new ArrayList<>();
        if (root) {
            cmd.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
        }
        cmd.add(LIBVIRTD);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("libvirtd.log").toFile());
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        pb.environment().put("HOME", dir.toString());
        pb.environment().put("XDG_RUNTIME_DIR", dir.resolve("run").toString());
        pb.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        pb.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        LibvirtDaemon d = new LibvirtDaemon(pb.start(), dir);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(d.socket)) {
            if (!d.process.isAlive() || System.nanoTime() - deadline > 0) {
                d.close();
                throw new IllegalStateException("libvirtd did not come up in " + dir + ": "
                        + Files.readString(dir.resolve("libvirtd.log")));
            }
            Thread.sleep(50);
        }
        return d;
    }

    /** @return the URI of its qemu session driver, e.g. {@code qemu+unix:///session?socket=/tmp/…/libvirt-sock} */
    public String uri() {
        return "qemu+unix:///session?socket=" + socket;
    }

    /** @return its directory */
    public Path dir() {
        return dir;
    }

    /**
     * Makes a directory for a {@code dir} storage pool, owned by the daemon's user.
     *
     * @return the directory, {@code dir()/pools/<name>}
     */
    public Path poolDirectory(String name) throws IOException {
        Path p = Files.createDirectories(dir.resolve("pools").resolve(name));
        if ("root".equals(System.getProperty("user.name"))) {
            UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(p.getParent(), nobody);
            Files.setOwner(p, nobody);
        }
        return p;
    }

    /**
     * Replaces a qcow2 volume's file by a qcow2 image whose first {@code dataBytes} bytes are
     * random (seeded, so the same every run), made with {@code qemu-img convert} and resized to
     * {@code virtualSize}; the file keeps its owner and gets mode 0600, as libvirt made it.
     *
     * @param virtualSize the image's virtual size in {@code qemu-img} notation, e.g. {@code 1G}
     */
    public static void writeQcow2(Path volume, int dataBytes, String virtualSize) throws IOException,
            InterruptedException {
        Path raw = volume.resolveSibling(volume.getFileName() + ".raw");
        byte[] data = new byte[dataBytes];
        new Random(42).nextBytes(data);
        Files.write(raw, data);
        Path image = volume.resolveSibling(volume.getFileName() + ".new");
        try {
            run("qemu-img", "convert", "-f", "raw", "-O", "qcow2", raw.toString(), image.toString());
            run("qemu-img", "resize", "-f", "qcow2", image.toString(), virtualSize);
        } finally {
            Files.deleteIfExists(raw);
        }
        UserPrincipal owner = Files.getOwner(volume);
        Files.move(image, volume, StandardCopyOption.REPLACE_EXISTING);
        Files.setOwner(volume, owner);
        Files.setPosixFilePermissions(volume, PosixFilePermissions.fromString("rw-------"));
    }

    /** @return the file's SHA-256, hex */
    public static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    /** @return whether the daemon still runs */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the daemon: TERM, then KILL after 5 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
