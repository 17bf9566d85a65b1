package de.sid.verbund.testsupport;

import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.monitoring.SnmpTarget;
import de.sid.verbund.monitoring.inventory.Credential;
import de.sid.verbund.monitoring.inventory.Declaration;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceInventory;
import de.sid.verbund.monitoring.inventory.DeviceKind;
import de.sid.verbund.monitoring.inventory.NewCredential;
import de.sid.verbund.monitoring.inventory.NewDevice;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * An in-memory {@link DeviceInventory} for REST and shell tests, recording the calls it gets. No
 * validation (that is monitoring-core's, tested there on a real database); credentials are v2c and
 * their secrets are kept in {@link #secrets} so tests can check where they went.
 */
public final class FakeInventory implements DeviceInventory {
    public final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    public final Map<String, Device> devices = new LinkedHashMap<>();
    public final Map<String, Credential> credentials = new LinkedHashMap<>();
    /** What each credential was created with, secrets included. */
    public final Map<String, NewCredential> secrets = new LinkedHashMap<>();
    /** What {@link #trapCredentials()} answers (the trap receiver's view of the stored secrets); empty at first. */
    public final List<de.sid.verbund.monitoring.SnmpCredentials> trapCredentials = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** What {@link #declare} was given. */
    public final List<Declaration> declarations = new ArrayList<>();

    @Override
    public Page<Device> devices(int limit, String cursor) {
        calls.add("devices");
        return new Page<>(List.copyOf(devices.values()), null);
    }

    @Override
    public List<Device> allDevices() {
        calls.add("allDevices");
        return List.copyOf(devices.values());
    }

    @Override
    public Optional<Device> device(String id) {
        calls.add("device");
        return Optional.ofNullable(devices.get(id));
    }

    @Override
    public Device createDevice(NewDevice n) {
        calls.add("createDevice");
        Device d = new Device(UUID.randomUUID().toString(), n.name(), n.address(), n.port() == null ? 161 : n.port(),
                n.site(), DeviceKind.parse(n.kind()).orElseThrow(), 60, List.of(), n.credentialId(), Instant.now());
        devices.put(d.id(), d);
        return d;
    }

    /** As the real inventory: a device from the devices file is refused (409), an unknown one is 404. */
    @Override
    public void deleteDevice(String id) {
        calls.add("deleteDevice");
        Device d = devices.get(id);
        if (d == null) {
            throw ProblemException.notFound("no device " + id);
        }
        if (d.origin() == Device.Origin.FILE) {
            throw ProblemException.conflict("device '" + d.name() + "' comes from the devices file: remove its entry there");
        }
        devices.remove(id);
    }

    @Override
    public List<Credential> credentials() {
        calls.add("credentials");
        return List.copyOf(credentials.values());
    }

    @Override
    public Optional<Credential> credential(String id) {
        calls.add("credential");
        return Optional.ofNullable(credentials.get(id));
    }

    @Override
    public Credential createCredential(NewCredential n) {
        calls.add("createCredential");
        Credential c = new Credential(UUID.randomUUID().toString(), n.name(), Credential.CredentialVersion.V2C, null, null,
                null, Instant.now());
        credentials.put(c.id(), c);
        secrets.put(c.id(), n);
        return c;
    }

    @Override
    public void deleteCredential(String id) {
        calls.add("deleteCredential");
        credentials.remove(id);
    }

    /** Records the declaration in {@link #declarations}; changes nothing. */
    @Override
    public Declaration.Outcome declare(Declaration declaration) {
        calls.add("declare");
        declarations.add(declaration);
        return new Declaration.Outcome(0, 0, 0, 0, List.of());
    }

    @Override
    public List<de.sid.verbund.monitoring.SnmpCredentials> trapCredentials() {
        return List.copyOf(trapCredentials);
    }

    @Override
    public SnmpTarget target(Device device) {
        throw new UnsupportedOperationException("FakeInventory makes no SNMP targets: tests that poll use the real Inventory");
    }
}
