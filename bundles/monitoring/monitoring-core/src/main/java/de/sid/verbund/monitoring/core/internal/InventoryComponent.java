package de.sid.verbund.monitoring.core.internal;

import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.monitoring.SnmpTarget;
import de.sid.verbund.monitoring.inventory.Credential;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceInventory;
import de.sid.verbund.monitoring.inventory.NewCredential;
import de.sid.verbund.monitoring.inventory.NewDevice;
import de.sid.verbund.persistence.Database;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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
 * Runs the {@link DeviceInventory} in OSGi. Start-up does not wait for the database: the
 * {@code monitoring} schema migration, reading (or making) the credential key file and
 * encrypting secrets still stored in plain text run on a background thread, retried after 1 s
 * doubling to 30 s; until they have run every call answers 503 with the reason (a database that
 * is not reachable, a key file that does not match the stored secrets).
 *
 * <p>The key file lives in Karaf's {@code etc} by default, not in {@code data}: {@code data} is
 * the node's cache ({@code karaf clean} and a fresh install empty it), and losing the key loses
 * every stored secret; {@code etc} is what operators keep and back up, and where Karaf itself
 * keeps the keys it makes ({@code host.key}).
 */
@Component(service = DeviceInventory.class, configurationPid = InventoryConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = InventoryConfig.class)
public class InventoryComponent implements DeviceInventory {
    private static final Logger LOG = LoggerFactory.getLogger(InventoryComponent.class);
    private final ScheduledExecutorService starter;
    private volatile Inventory inventory;
    private volatile String notReady = "starting";
    private volatile boolean stopped;

    @Activate
    public InventoryComponent(@Reference Database db, InventoryConfig config) {
        Path keyFile = keyFile(config.credential_key_file());
        starter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "verbund-monitoring-inventory-start");
            t.setDaemon(true);
            return t;
        });
        starter.execute(() -> start(db, keyFile, 1));
    }

    /** @return the configured key file, or {@code verbund-credentials.key} in Karaf's etc directory */
    static Path keyFile(String configured) {
        Path base = Path.of(System.getProperty("karaf.base", "."));
        if (configured == null || configured.isBlank()) {
            String etc = System.getProperty("karaf.etc");
            return (etc == null || etc.isBlank() ? base.resolve("etc") : Path.of(etc)).resolve("verbund-credentials.key");
        }
        Path p = Path.of(configured.strip());
        return p.isAbsolute() ? p : base.resolve(p);
    }

    private void start(Database db, Path keyFile, long retrySeconds) {
        if (stopped) {
            return;
        }
        try {
            db.migrate("monitoring", InventoryComponent.class.getClassLoader());
            inventory = new Inventory(db, SecretCipher.loadOrCreate(keyFile));
            if (!"starting".equals(notReady)) {
                LOG.info("Device inventory ready after the database came back");
            }
            notReady = null;
        } catch (RuntimeException e) {
            String reason = String.valueOf(e.getMessage());
            if (!reason.equals(notReady)) {
                LOG.error("Device inventory not ready, retrying in {} s: {}", retrySeconds, reason);
            }
            notReady = reason;
            starter.schedule(() -> start(db, keyFile, Math.min(retrySeconds * 2, 30)), retrySeconds, TimeUnit.SECONDS);
        }
    }

    @Deactivate
    void deactivate() {
        stopped = true;
        starter.shutdownNow();
    }

    private Inventory inventory() {
        Inventory i = inventory;
        if (i == null) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "the device inventory is not ready yet (its database is "
                    + "not reachable, or the credential key file does not match the stored secrets: the log says which); "
                    + "retrying in the background");
        }
        return i;
    }

    @Override
    public Page<Device> devices(int limit, String cursor) {
        return inventory().devices(limit, cursor);
    }

    @Override
    public List<Device> allDevices() {
        return inventory().allDevices();
    }

    @Override
    public Optional<Device> device(String id) {
        return inventory().device(id);
    }

    @Override
    public Device createDevice(NewDevice device) {
        return inventory().createDevice(device);
    }

    @Override
    public void deleteDevice(String id) {
        inventory().deleteDevice(id);
    }

    @Override
    public List<Credential> credentials() {
        return inventory().credentials();
    }

    @Override
    public Optional<Credential> credential(String id) {
        return inventory().credential(id);
    }

    @Override
    public Credential createCredential(NewCredential credential) {
        return inventory().createCredential(credential);
    }

    @Override
    public void deleteCredential(String id) {
        inventory().deleteCredential(id);
    }

    @Override
    public List<de.sid.verbund.monitoring.SnmpCredentials> trapCredentials() {
        return inventory().trapCredentials();
    }

    @Override
    public SnmpTarget target(Device device) {
        return inventory().target(device);
    }
}
