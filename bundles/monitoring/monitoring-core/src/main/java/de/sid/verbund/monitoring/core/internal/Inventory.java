package de.sid.verbund.monitoring.core.internal;

import de.sid.verbund.core.Ids;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.monitoring.SnmpCredentials;
import de.sid.verbund.monitoring.SnmpTarget;
import de.sid.verbund.monitoring.SnmpVersion;
import de.sid.verbund.monitoring.inventory.Credential;
import de.sid.verbund.monitoring.inventory.Credential.CredentialVersion;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceInventory;
import de.sid.verbund.monitoring.inventory.NewCredential;
import de.sid.verbund.monitoring.inventory.NewDevice;
import de.sid.verbund.persistence.Database;
import de.sid.verbund.persistence.PersistenceException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The inventory over the database: validation, duplicates, and targets for the poller. */
final class Inventory implements DeviceInventory {
    private static final Logger LOG = LoggerFactory.getLogger(Inventory.class);
    private final InventoryStore store;

    /**
     * Claims the database for the cipher's key (or checks it owns it) and encrypts the secrets of
     * credentials stored in plain text before (migration V2), before anything else is done.
     *
     * @param db a database on which the {@code monitoring} migrations have run
     * @param cipher the key of the stored secrets
     * @throws IllegalStateException if the stored secrets belong to another key
     */
    Inventory(Database db, SecretCipher cipher) {
        this.store = new InventoryStore(db, cipher);
        int encrypted = store.prepareSecrets();
        if (encrypted > 0) {
            LOG.info("Encrypted the secrets of {} credential(s) stored in plain text before (key {})", encrypted,
                    cipher.keyId());
        }
    }

    /** An inventory whose secrets are encrypted with a key that lives only as long as it does (tests). */
    Inventory(Database db) {
        this(db, SecretCipher.ephemeral());
    }

    @Override
    public Page<Device> devices(int limit, String cursor) {
        return store.devices(Page.limit(limit), cursor);
    }

    @Override
    public List<Device> allDevices() {
        return store.allDevices();
    }

    @Override
    public Optional<Device> device(String id) {
        return store.device(Ids.parse(id).toString());
    }

    @Override
    public Device createDevice(NewDevice d) {
        Validation.ValidDevice v = Validation.device(d);
        if (store.credential(v.credentialId()).isEmpty()) {
            throw ProblemException.badRequest("invalid device: no credential " + v.credentialId());
        }
        store.clash(v.name(), v.address(), v.port(), v.credentialId()).ifPresent(this::conflict);
        Device device = new Device(Ids.newId(), v.name(), v.address(), v.port(), v.site(), v.kind(), v.pollIntervalS(),
                v.profiles(), v.credentialId(), Instant.now().truncatedTo(ChronoUnit.MICROS));
        try {
            store.insertDevice(device);
        } catch (PersistenceException e) {
            if (e.isUniqueViolation()) {
                // registered at the same moment by another caller or node
                store.clash(v.name(), v.address(), v.port(), v.credentialId()).ifPresent(this::conflict);
                throw ProblemException.conflict("device '" + v.name() + "' or agent " + v.address() + ":" + v.port()
                        + " with that credential is registered already");
            }
            throw e;
        }
        LOG.info("Device {} registered: {}:{} at {} ({}), every {} s", device.name(), device.address(), device.port(),
                device.site(), device.kind(), device.pollIntervalS());
        return device;
    }

    private void conflict(Device existing) {
        throw ProblemException.conflict("device '" + existing.name() + "' (" + existing.id() + ") has that name or agent "
                + existing.address() + ":" + existing.port() + " with that credential already");
    }

    @Override
    public void deleteDevice(String id) {
        if (!store.deleteDevice(Ids.parse(id).toString())) {
            throw ProblemException.notFound("no device " + id);
        }
        LOG.info("Device {} deleted", id);
    }

    @Override
    public List<Credential> credentials() {
        return store.credentials();
    }

    @Override
    public Optional<Credential> credential(String id) {
        return store.credential(Ids.parse(id).toString());
    }

    @Override
    public Credential createCredential(NewCredential c) {
        Validation.ValidCredential v = Validation.credential(c);
        InventoryStore.Secret s = v.secret();
        Credential cr = new Credential(Ids.newId(), v.name(), v.version(), s.user(), s.auth(), s.priv(),
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        try {
            store.insertCredential(cr, s);
        } catch (PersistenceException e) {
            if (e.isUniqueViolation()) {
                throw ProblemException.conflict("credential name '" + v.name() + "' is taken");
            }
            // the driver's message may quote the row: never pass it on
            throw new PersistenceException("credential " + v.name() + " could not be stored (SQLSTATE " + e.sqlState() + ")",
                    null);
        }
        LOG.info("Credential {} ({}) stored", cr.name(), cr.version());
        return cr;
    }

    @Override
    public void deleteCredential(String id) {
        if (!store.deleteCredential(Ids.parse(id).toString())) {
            throw ProblemException.notFound("no credential " + id);
        }
        LOG.info("Credential {} deleted", id);
    }

    @Override
    public List<SnmpCredentials> trapCredentials() {
        List<SnmpCredentials> out = new java.util.ArrayList<>();
        for (InventoryStore.Secret s : store.secrets()) {
            out.add(credentials(s));
        }
        return out;
    }

    private static SnmpCredentials credentials(InventoryStore.Secret s) {
        return s.version() == CredentialVersion.V3
                ? new SnmpCredentials.Usm(s.user(), s.auth(), s.authPassphrase(), s.priv(), s.privPassphrase())
                : new SnmpCredentials.Community(s.community());
    }

    /** Resolves the device's address (a DNS name may block: call from a poller thread). */
    @Override
    public SnmpTarget target(Device device) {
        InventoryStore.Secret s = store.secret(device.credentialId()).orElseThrow(() -> ProblemException.conflict(
                "device " + device.name() + ": its credential " + device.credentialId() + " is gone"));
        InetAddress ip;
        try {
            ip = InetAddress.getByName(device.address());
        } catch (UnknownHostException e) {
            throw ProblemException.conflict("device " + device.name() + ": address " + device.address() + " does not resolve");
        }
        SnmpVersion version = switch (s.version()) {
            case V1 -> SnmpVersion.V1;
            case V2C -> SnmpVersion.V2C;
            case V3 -> SnmpVersion.V3;
        };
        return new SnmpTarget(device.name(), new InetSocketAddress(ip, device.port()), version, credentials(s),
                SnmpTarget.DEFAULT_TIMEOUT, SnmpTarget.DEFAULT_RETRIES, SnmpTarget.DEFAULT_MAX_REPETITIONS,
                SnmpTarget.DEFAULT_MAX_REQUESTS_PER_WALK);
    }
}
