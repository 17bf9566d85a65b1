package de.sid.verbund.monitoring.traps.internal;

import de.sid.verbund.monitoring.SnmpCredentials;
import de.sid.verbund.monitoring.inventory.Credential;
import de.sid.verbund.monitoring.inventory.Device;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which inventory device a trap comes from, by the IP address it is attributed to. A copy of the
 * device list, rebuilt by {@link #update} on the receiver's refresh thread (DNS names among the
 * device addresses are resolved there, never on the receiving thread).
 *
 * <p>One agent address may serve several devices (a proxy, Cisco {@code community@vlan}, the
 * replay agent of the demo): then the device whose credential matches the trap's community or USM
 * user is chosen, else the first by name.
 */
final class DeviceDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceDirectory.class);

    /** A device and the secret of its credential (null when not known). */
    private record Candidate(Device device, SnmpCredentials secret) {
    }

    private volatile Map<InetAddress, List<Candidate>> byAddress = Map.of();

    /**
     * @param devices every device, ordered by name ({@code DeviceInventory.allDevices()})
     * @param credentials every credential without secrets, ordered by name
     * @param secrets {@code DeviceInventory.trapCredentials()}, in the same order as {@code credentials};
     *        when the two lists do not match one to one (a credential was added between the two reads),
     *        devices sharing an address are told apart by name order only until the next update
     */
    void update(List<Device> devices, List<Credential> credentials, List<SnmpCredentials> secrets) {
        Map<String, SnmpCredentials> secretByCredential = match(credentials, secrets);
        Map<InetAddress, List<Candidate>> next = new HashMap<>();
        for (Device d : devices) {
            InetAddress[] addresses;
            try {
                addresses = d.address() == null ? new InetAddress[0] : InetAddress.getAllByName(d.address());
            } catch (UnknownHostException e) {
                LOG.debug("device {}: address {} does not resolve; its traps are not attributed to it", d.name(),
                        d.address());
                continue;
            }
            Candidate c = new Candidate(d, secretByCredential.get(d.credentialId()));
            for (InetAddress a : addresses) {
                next.computeIfAbsent(a, k -> new ArrayList<>()).add(c);
            }
        }
        byAddress = Map.copyOf(next);
    }

    private static Map<String, SnmpCredentials> match(List<Credential> credentials, List<SnmpCredentials> secrets) {
        if (credentials.size() != secrets.size()) {
            return Map.of();
        }
        Map<String, SnmpCredentials> out = new HashMap<>();
        for (int i = 0; i < credentials.size(); i++) {
            Credential c = credentials.get(i);
            SnmpCredentials s = secrets.get(i);
            boolean same = s instanceof SnmpCredentials.Usm u
                    ? c.version() == Credential.CredentialVersion.V3 && u.user().equals(c.user())
                    : c.version() != Credential.CredentialVersion.V3;
            if (!same) {
                return Map.of();
            }
            out.put(c.id(), s);
        }
        return out;
    }

    /**
     * @param address the address the trap is attributed to
     * @param securityName the community (v1/v2c) or USM user name (v3) it came with
     * @param v3 whether {@code securityName} is a USM user
     * @return the device, or null when no device has that address
     */
    Device find(InetAddress address, String securityName, boolean v3) {
        List<Candidate> candidates = byAddress.get(address);
        if (candidates == null || candidates.isEmpty()) {
            return null;
        }
        if (candidates.size() > 1) {
            for (Candidate c : candidates) {
                if (matches(c.secret(), securityName, v3)) {
                    return c.device();
                }
            }
        }
        return candidates.get(0).device();
    }

    private static boolean matches(SnmpCredentials secret, String securityName, boolean v3) {
        if (secret instanceof SnmpCredentials.Usm u) {
            return v3 && u.user().equals(securityName);
        }
        return secret instanceof SnmpCredentials.Community c && !v3 && c.community().equals(securityName);
    }

    /** @return the number of addresses known (for tests and logs) */
    int size() {
        return byAddress.size();
    }
}
