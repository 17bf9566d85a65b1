package de.sid.verbund.compute.libvirt.internal;

import java.nio.file.Path;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where JNA unpacks its native stub ({@code libjnidispatch.so}): without {@value #PROPERTY} it
 * goes to {@code ~/.cache/JNA/temp} of the user running the JVM. In a Karaf node it belongs under
 * the node's data directory, {@code ${karaf.data}/tmp/jna} (JNA creates the directory). An
 * operator's own {@value #PROPERTY} is kept; without {@code karaf.data} (plain JVMs, tests)
 * nothing is set. Takes effect only before JNA's {@code Native} class is initialised, so the
 * provider calls it first thing at activation.
 */
final class JnaTmpDir {
    static final String PROPERTY = "jna.tmpdir";
    private static final Logger LOG = LoggerFactory.getLogger(JnaTmpDir.class);

    private JnaTmpDir() {
    }

    /**
     * @param properties the system properties (a copy in tests)
     * @return the directory set, or {@code null} when nothing was set
     */
    static String configure(Properties properties) {
        String current = properties.getProperty(PROPERTY);
        String karafData = properties.getProperty("karaf.data");
        if (current != null && !current.isBlank() || karafData == null || karafData.isBlank()) {
            return null;
        }
        String dir = Path.of(karafData, "tmp", "jna").toString();
        properties.setProperty(PROPERTY, dir);
        LOG.debug("{} set to {}", PROPERTY, dir);
        return dir;
    }
}
