package de.sid.verbund.monitoring.core.internal;

import de.sid.verbund.core.ProblemException;
import de.sid.verbund.monitoring.inventory.Declaration;
import de.sid.verbund.monitoring.inventory.DeviceInventory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the devices file ({@link DevicesFile}) to the inventory ({@link DeviceInventory#declare}):
 * at start, whenever its content changes, and again every check while the last application left
 * problems (a credential named by a device may be stored through the API later). A file that
 * disappears declares nothing, so the devices that came from it are removed; a file that is not
 * valid YAML changes nothing. Faults are logged once per distinct fault, with the file and entry.
 * Activation returns at once; the file is read on the component's own thread.
 */
@Component(service = {}, configurationPid = DevicesFileConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = DevicesFileConfig.class)
public class DevicesFileComponent {
    private static final Logger LOG = LoggerFactory.getLogger(DevicesFileComponent.class);
    private final ScheduledExecutorService scheduler;
    private final DevicesFileWatch watch;

    @Activate
    public DevicesFileComponent(@Reference DeviceInventory inventory, DevicesFileConfig config) {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "verbund-devices-file");
            t.setDaemon(true);
            return t;
        });
        if (config.file() == null || config.file().isBlank()) {
            watch = null;
            LOG.info("No devices file (file is empty in {}.cfg)", DevicesFileConfig.PID);
            return;
        }
        Path file = Path.of(config.file());
        if (!file.isAbsolute()) {
            file = Path.of(System.getProperty("karaf.base", ".")).resolve(file);
        }
        watch = new DevicesFileWatch(file, inventory);
        scheduler.scheduleWithFixedDelay(watch::check, 0, Math.max(1, config.check_interval_s()), TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        scheduler.shutdownNow();
    }

    /** One file and what was last applied of it; {@link #check()} runs on one thread at a time. */
    static final class DevicesFileWatch {
        private final Path file;
        private final DeviceInventory inventory;
        /** SHA-256 of the content last applied without problems ({@code "missing"} for no file), or null. */
        private String applied;
        /** SHA-256 of the content read by the check before. */
        private String seen;
        private List<String> lastFaults = List.of();
        private boolean warnedReadable;

        DevicesFileWatch(Path file, DeviceInventory inventory) {
            this.file = file;
            this.inventory = inventory;
        }

        /** Reads the file and applies it if it changed or its last application left problems. */
        void check() {
            try {
                byte[] content;
                try {
                    content = Files.readAllBytes(file);
                } catch (NoSuchFileException e) {
                    content = null;
                }
                String hash = content == null ? "missing" : sha256(content);
                if (hash.equals(applied)) {
                    return;
                }
                boolean changed = !hash.equals(seen);
                seen = hash;
                Declaration declaration;
                if (content == null) {
                    declaration = new Declaration(file.toString(), List.of(), List.of());
                } else {
                    warnIfReadableByOthers(content);
                    try {
                        declaration = DevicesFile.parse(file.toString(), content);
                    } catch (DevicesFile.DevicesFileException e) {
                        faults(List.of(e.getMessage() + "; nothing of it applied, devices stay as they are"));
                        applied = hash;
                        return;
                    }
                }
                Declaration.Outcome o = inventory.declare(declaration);
                if (o.created() + o.updated() + o.removed() > 0 || changed) {
                    LOG.info("Devices file {}{}: {} created, {} updated, {} removed, {} unchanged, {} problem(s)", file,
                            content == null ? " (not there: declares nothing)" : "", o.created(), o.updated(), o.removed(),
                            o.unchanged(), o.problems().size());
                }
                faults(o.problems().stream().map(p -> file + ": " + p).toList());
                applied = o.problems().isEmpty() ? hash : null;
            } catch (ProblemException e) {
                // the inventory is not ready yet (its database, at start): the next check tries again
                LOG.debug("Devices file {} not applied yet: {}", file, e.getMessage());
            } catch (IOException | RuntimeException e) {
                faults(List.of(file + ": not applied: " + e));
            }
        }

        /** Logs the faults that were not logged by the check before (so a steady fault is logged once). */
        private void faults(List<String> faults) {
            for (String f : faults) {
                if (!lastFaults.contains(f)) {
                    LOG.warn("Devices file {}", f);
                }
            }
            lastFaults = List.copyOf(faults);
        }

        private void warnIfReadableByOthers(byte[] content) {
            if (warnedReadable) {
                return;
            }
            try {
                if (Files.getPosixFilePermissions(file).contains(PosixFilePermission.OTHERS_READ)
                        && new String(content, java.nio.charset.StandardCharsets.UTF_8).contains("credentials")) {
                    LOG.warn("Devices file {} holds SNMP secrets and every user of this machine may read it: chmod o-r {}",
                            file, file);
                    warnedReadable = true;
                }
            } catch (IOException | UnsupportedOperationException e) {
                warnedReadable = true; // no POSIX permissions here
            }
        }

        private static String sha256(byte[] content) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
