package de.sid.verbund.monitoring.core.internal;

import de.sid.verbund.core.Ids;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.monitoring.SnmpCredentials;
import de.sid.verbund.monitoring.SnmpTarget;
import de.sid.verbund.monitoring.SnmpVersion;
import de.sid.verbund.monitoring.inventory.Credential;
import de.sid.verbund.monitoring.inventory.Credential.CredentialVersion;
import de.sid.verbund.monitoring.inventory.Declaration;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.Device.Origin;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The inventory over the database: validation, duplicates, and targets for the poller. */
final class Inventory implements DeviceInventory {
    private static final Logger LOG = LoggerFactory.getLogger(Inventory.class);
    /** Where an operator finds the devices file, for messages. */
    static final String DEVICES_FILE_HINT = "the file named in etc/" + DevicesFileConfig.PID + ".cfg";
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
        return createDevice(Validation.device(d), Origin.API);
    }

    private Device createDevice(Validation.ValidDevice v, Origin origin) {
        if (store.credential(v.credentialId()).isEmpty()) {
            throw ProblemException.badRequest("invalid device: no credential " + v.credentialId());
        }
        store.clash(v.name(), v.address(), v.port(), v.credentialId()).ifPresent(this::conflict);
        Device device = new Device(Ids.newId(), v.name(), v.address(), v.port(), v.site(), v.kind(), v.pollIntervalS(),
                v.profiles(), v.credentialId(), Instant.now().truncatedTo(ChronoUnit.MICROS), origin);
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
        LOG.info("Device {} registered{}: {}:{} at {} ({}), every {} s", device.name(),
                origin == Origin.FILE ? " from the devices file" : "", device.address(), device.port(), device.site(),
                device.kind(), device.pollIntervalS());
        return device;
    }

    private void conflict(Device existing) {
        throw ProblemException.conflict("device '" + existing.name() + "' (" + existing.id() + ") has that name or agent "
                + existing.address() + ":" + existing.port() + " with that credential already");
    }

    @Override
    public void deleteDevice(String id) {
        String key = Ids.parse(id).toString();
        store.device(key).filter(d -> d.origin() == Origin.FILE).ifPresent(d -> {
            throw ProblemException.conflict("device '" + d.name() + "' comes from the devices file (" + DEVICES_FILE_HINT
                    + "): remove its entry there and it is removed here");
        });
        if (!store.deleteDevice(key)) {
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
        return createCredential(Validation.credential(c), Origin.API);
    }

    private Credential createCredential(Validation.ValidCredential v, Origin origin) {
        InventoryStore.Secret s = v.secret();
        Credential cr = new Credential(Ids.newId(), v.name(), v.version(), s.user(), s.auth(), s.priv(),
                Instant.now().truncatedTo(ChronoUnit.MICROS), origin);
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
        LOG.info("Credential {} ({}) stored{}", cr.name(), cr.version(), origin == Origin.FILE ? " from the devices file" : "");
        return cr;
    }

    @Override
    public void deleteCredential(String id) {
        String key = Ids.parse(id).toString();
        store.credential(key).filter(c -> c.origin() == Origin.FILE).ifPresent(c -> {
            throw ProblemException.conflict("credential '" + c.name() + "' comes from the devices file ("
                    + DEVICES_FILE_HINT + "): remove its entry there");
        });
        if (!store.deleteCredential(key)) {
            throw ProblemException.notFound("no credential " + id);
        }
        LOG.info("Credential {} deleted", id);
    }

    @Override
    public Declaration.Outcome declare(Declaration declaration) {
        int[] counts = new int[4]; // created, updated, removed, unchanged
        List<String> problems = new ArrayList<>();
        Set<String> declaredCredentials = new HashSet<>();
        Map<String, Credential> credentials = byName(store.credentials(), Credential::name);
        for (Declaration.DeclaredCredential dc : declaration.credentials()) {
            String name = dc.credential().name();
            String entry = dc.entry() + (name == null ? "" : " '" + Validation.shorten(name) + "'");
            if (name != null && !declaredCredentials.add(name)) {
                problems.add(entry + ": the name is declared twice; this entry is ignored");
                continue;
            }
            if (!dc.errors().isEmpty()) {
                problems.add(entry + ": " + String.join("; ", dc.errors()) + (name == null ? "" : "; a stored one of that name is left as it is"));
                continue;
            }
            try {
                counts[declareCredential(Validation.credential(dc.credential()), credentials.get(name))]++;
            } catch (ProblemException e) {
                problems.add(entry + ": " + e.getMessage());
            }
        }
        credentials = byName(store.credentials(), Credential::name);
        Map<String, Device> devices = byName(store.allDevices(), Device::name);
        Set<String> declaredDevices = new HashSet<>();
        for (Declaration.DeclaredDevice dd : declaration.devices()) {
            String entry = dd.entry() + (dd.name() == null ? "" : " '" + Validation.shorten(dd.name()) + "'");
            if (dd.name() != null && !declaredDevices.add(dd.name())) {
                problems.add(entry + ": the name is declared twice; this entry is ignored");
                continue;
            }
            if (!dd.errors().isEmpty()) {
                problems.add(entry + ": " + String.join("; ", dd.errors()) + (dd.name() == null ? "" : "; a stored one of that name is left as it is"));
                continue;
            }
            try {
                Credential cr = dd.credential() == null ? null : credentials.get(dd.credential());
                if (dd.credential() == null) {
                    throw ProblemException.badRequest("credential is required: the name of a credential of this file "
                            + "or one stored through the API");
                } else if (cr == null) {
                    throw ProblemException.badRequest("no credential named '" + Validation.shorten(dd.credential())
                            + "' (in this file or stored)");
                }
                Validation.ValidDevice v = Validation.device(new NewDevice(dd.name(), dd.address(), dd.port(), dd.site(),
                        dd.kind(), dd.pollIntervalS(), dd.profiles(), cr.id()));
                counts[declareDevice(v, devices.get(v.name()))]++;
            } catch (ProblemException e) {
                problems.add(entry + ": " + e.getMessage());
            }
        }
        for (Device d : store.allDevices()) {
            if (d.origin() == Origin.FILE && !declaredDevices.contains(d.name())) {
                store.deleteDevice(d.id());
                counts[2]++;
                LOG.info("Device {} removed: the devices file no longer declares it", d.name());
            }
        }
        for (Credential c : store.credentials()) {
            if (c.origin() == Origin.FILE && !declaredCredentials.contains(c.name())) {
                try {
                    store.deleteCredential(c.id());
                    counts[2]++;
                    LOG.info("Credential {} removed: the devices file no longer declares it", c.name());
                } catch (ProblemException e) {
                    problems.add("credential '" + c.name() + "' is no longer declared but kept: " + e.getMessage());
                }
            }
        }
        return new Declaration.Outcome(counts[0], counts[1], counts[2], counts[3], problems);
    }

    /** @return 0 created, 1 updated, 3 unchanged; CONFLICT if the name belongs to an API credential */
    private int declareCredential(Validation.ValidCredential v, Credential existing) {
        if (existing == null) {
            createCredential(v, Origin.FILE);
            return 0;
        }
        if (existing.origin() != Origin.FILE) {
            throw ProblemException.conflict("a credential of that name was stored through the API or shell; it is left "
                    + "as it is and this entry is ignored (delete that one to let the file manage it)");
        }
        if (store.secret(existing.id()).filter(v.secret()::equals).isPresent()) {
            return 3;
        }
        store.updateCredential(existing.id(), v.secret());
        LOG.info("Credential {} changed by the devices file ({})", existing.name(), v.version());
        return 1;
    }

    /** @return 0 created, 1 updated, 3 unchanged; CONFLICT if the name belongs to an API device or the agent is taken */
    private int declareDevice(Validation.ValidDevice v, Device existing) {
        if (existing == null) {
            createDevice(v, Origin.FILE);
            return 0;
        }
        if (existing.origin() != Origin.FILE) {
            throw ProblemException.conflict("a device of that name was registered through the API or shell; it is left "
                    + "as it is and this entry is ignored (delete that one to let the file manage it)");
        }
        Device wanted = new Device(existing.id(), v.name(), v.address(), v.port(), v.site(), v.kind(), v.pollIntervalS(),
                v.profiles(), v.credentialId(), existing.createdAt(), Origin.FILE);
        if (wanted.equals(existing)) {
            return 3;
        }
        store.clash(v.name(), v.address(), v.port(), v.credentialId()).filter(d -> !d.id().equals(existing.id()))
                .ifPresent(this::conflict);
        try {
            store.updateDevice(wanted);
        } catch (PersistenceException e) {
            if (e.isUniqueViolation()) {
                throw ProblemException.conflict("agent " + v.address() + ":" + v.port()
                        + " with that credential is registered already");
            }
            throw e;
        }
        LOG.info("Device {} changed by the devices file: {}:{} at {} ({}), every {} s", wanted.name(), wanted.address(),
                wanted.port(), wanted.site(), wanted.kind(), wanted.pollIntervalS());
        return 1;
    }

    private static <T> Map<String, T> byName(List<T> items, Function<T, String> name) {
        Map<String, T> out = new HashMap<>();
        items.forEach(i -> out.put(name.apply(i), i));
        return out;
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
