package de.sid.verbund.monitoring.traps.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs net-snmp's command line tools (Debian package {@code snmp}: {@code snmptrap}, {@code snmpinform}),
 * with their configuration and persistent state in a directory of the test, no MIBs loaded.
 */
final class NetSnmp {
    record Result(int exit, String output) {
    }

    private final Path dir;

    NetSnmp(Path dir) {
        this.dir = dir;
    }

    /**
     * @param command {@code snmptrap} or {@code snmpinform} and its arguments
     * @throws AssertionError naming the Debian package when the tool is not installed
     */
    Result run(String... command) {
        if (!Files.isExecutable(Path.of("/usr/bin", command[0]))) {
            throw new AssertionError("/usr/bin/" + command[0] + " is missing: install the Debian package 'snmp' "
                    + "(./verbund test installs it)");
        }
        List<String> cmd = new ArrayList<>(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("MIBS", "");
        pb.environment().put("MIBDIRS", dir.toString());
        pb.environment().put("SNMPCONFPATH", dir.toString());
        pb.environment().put("SNMP_PERSISTENT_DIR", dir.resolve("persist").toString());
        pb.environment().remove("HOME");
        try {
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not end within 60 s");
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
