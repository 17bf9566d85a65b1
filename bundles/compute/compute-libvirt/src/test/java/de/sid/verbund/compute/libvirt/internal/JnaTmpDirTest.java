package de.sid.verbund.compute.libvirt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import de.sid.verbund.compute.spi.HypervisorConnection;
import de.sid.verbund.testsupport.Configs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The choice on copies of the system properties (the JVM's own stay untouched), and the effect in
 * a JVM of its own: JNA is loaded once per JVM, possibly already by another test in this one.
 */
class JnaTmpDirTest {
    @TempDir
    Path dir;

    @Test
    void inAKarafNodeJnaUnpacksUnderTheDataDirectory() {
        Properties p = properties("karaf.data", "/opt/verbund/data");

        assertThat(JnaTmpDir.configure(p)).isEqualTo(Path.of("/opt/verbund/data/tmp/jna").toString());
        assertThat(p.getProperty("jna.tmpdir")).isEqualTo(Path.of("/opt/verbund/data/tmp/jna").toString());
    }

    @Test
    void anOperatorsOwnSettingIsKept() {
        Properties p = properties("karaf.data", "/opt/verbund/data", "jna.tmpdir", "/var/tmp/jna");

        assertThat(JnaTmpDir.configure(p)).isNull();
        assertThat(p.getProperty("jna.tmpdir")).isEqualTo("/var/tmp/jna");
    }

    @Test
    void outsideKarafJnaKeepsItsDefault() {
        Properties none = properties();
        Properties blank = properties("karaf.data", " ");

        assertThat(JnaTmpDir.configure(none)).isNull();
        assertThat(JnaTmpDir.configure(blank)).isNull();
        assertThat(none.getProperty("jna.tmpdir")).isNull();
        assertThat(blank.getProperty("jna.tmpdir")).isNull();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theProviderMakesJnaUnpackUnderKarafDataNotTheUsersCache() throws Exception {
        Path home = dir.resolve("home");
        Path data = dir.resolve("data");

        runProvider(home, data);

        assertThat(data.resolve("tmp/jna")).isDirectory();
        assertThat(home.resolve(".cache/JNA")).doesNotExist();
        // the same without karaf.data: JNA's default, the user's cache (which shows the check above can fail)
        Path plainHome = dir.resolve("plain-home");
        runProvider(plainHome, null);
        assertThat(plainHome.resolve(".cache/JNA/temp")).isDirectory();
    }

    /** Runs {@link Child} in a JVM of its own with this test's class path, {@code user.home} and {@code karaf.data}. */
    private void runProvider(Path home, Path karafData) throws Exception {
        Files.createDirectories(home);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Duser.home=" + home));
        if (karafData != null) {
            command.add("-Dkaraf.data=" + karafData);
        }
        command.add(Child.class.getName());
        Path log = dir.resolve("child-" + home.getFileName() + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("XDG_CACHE_HOME");
        Process p = pb.start();
        assertThat(p.waitFor(50, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        assertThat(p.exitValue()).as("child JVM exit; its output:%n%s", Files.readString(log, StandardCharsets.UTF_8))
                .isZero();
    }

    /** Activates the provider (which loads JNA) and opens one test driver connection. */
    static final class Child {
        public static void main(String[] args) {
            LibvirtProvider provider = new LibvirtProvider(Configs.of(LibvirtProvider.Config.class));
            try (HypervisorConnection c = provider.connect("test:///default")) {
                c.capacity();
            }
            provider.deactivate();
        }
    }

    private static Properties properties(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }
}
