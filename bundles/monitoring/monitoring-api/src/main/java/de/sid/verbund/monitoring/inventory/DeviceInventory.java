package de.sid.verbund.monitoring.inventory;

import de.sid.verbund.core.Page;
import de.sid.verbund.monitoring.SnmpCredentials;
import de.sid.verbund.monitoring.SnmpTarget;
import java.util.List;
import java.util.Optional;

/**
 * The devices Verbund polls and their credentials. Invalid input fails with a
 * {@link de.sid.verbund.core.ProblemException} BAD_REQUEST naming every wrong field, a duplicate
 * name (or a second device for the same address, port and credential) with CONFLICT, an unknown id with
 * NOT_FOUND.
 */
public interface DeviceInventory {

    /** @return one page of devices ordered by name; {@code cursor} from the previous page or {@code null} */
    Page<Device> devices(int limit, String cursor);

    /** @return every device, ordered by name (for the poller) */
    List<Device> allDevices();

    Optional<Device> device(String id);

    Device createDevice(NewDevice device);

    /** @throws de.sid.verbund.core.ProblemException NOT_FOUND when there is no such device */
    void deleteDevice(String id);

    /** @return every credential, without secrets, ordered by name */
    List<Credential> credentials();

    Optional<Credential> credential(String id);

    Credential createCredential(NewCredential credential);

    /** @throws de.sid.verbund.core.ProblemException CONFLICT while a device uses it, NOT_FOUND when unknown */
    void deleteCredential(String id);

    /**
     * The secrets of every stored credential, for the trap receiver: which communities and
     * SNMPv3 USM users it accepts. Never exposed through any API.
     *
     * @return one {@link SnmpCredentials.Community} or {@link SnmpCredentials.Usm} per stored
     *         credential, ordered by credential name
     */
    List<SnmpCredentials> trapCredentials();

    /**
     * Where and how to poll a device, with its credential's secret: an SNMPv1/v2c community or an
     * SNMPv3 USM user, as the credential's version says.
     *
     * @throws de.sid.verbund.core.ProblemException CONFLICT when its credential is gone or its
     *         address does not resolve; INTERNAL when the credential's stored secret does not
     *         decrypt (encrypted with another key, or altered in the database)
     */
    SnmpTarget target(Device device);
}
