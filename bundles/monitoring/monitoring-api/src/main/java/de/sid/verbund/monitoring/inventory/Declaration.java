package de.sid.verbund.monitoring.inventory;

import java.util.List;
import java.util.Objects;

/**
 * The devices and credentials a configuration file declares (the devices file,
 * {@code etc/verbund-devices.yaml}), as {@link DeviceInventory#declare} applies them:
 *
 * <ul>
 *   <li>A declared credential or device whose name is not stored is created with origin
 *       {@link Device.Origin#FILE}; one stored from the file is updated when it differs (a
 *       device keeps its id, so its metrics and alarms stay attached); one registered through
 *       the API or shell is left alone and reported.</li>
 *   <li>A device names its credential; the name refers to the stored credential of that name,
 *       from the file or from the API.</li>
 *   <li>Devices, then credentials, that came from the file and are no longer declared are
 *       removed (a credential only when no device uses it). An entry that is declared but
 *       invalid counts as declared: a typo leaves the stored device as it was.</li>
 *   <li>A name declared twice: the first entry counts, the second is reported.</li>
 *   <li>Every fault names its entry (e.g. {@code devices[3] 'sw-1': port must be 1 to 65535})
 *       and does not stop the other entries.</li>
 * </ul>
 *
 * @param source where the declaration comes from, for messages (the file's path)
 * @param credentials the declared credentials, with their secrets
 * @param devices the declared devices
 */
public record Declaration(String source, List<DeclaredCredential> credentials, List<DeclaredDevice> devices) {
    public Declaration {
        Objects.requireNonNull(source, "source");
        credentials = List.copyOf(credentials);
        devices = List.copyOf(devices);
    }

    /**
     * A declared credential ({@code toString()} masks its secrets, as {@link NewCredential}'s does).
     *
     * @param entry where it is declared, for messages, e.g. {@code credentials[0]}
     * @param credential its fields, validated as {@link DeviceInventory#createCredential} does
     * @param errors faults found while reading the entry (an unknown key, a list where text belongs);
     *        if any, they are reported and the stored credential of that name is left as it is
     */
    public record DeclaredCredential(String entry, NewCredential credential, List<String> errors) {
        public DeclaredCredential {
            Objects.requireNonNull(entry, "entry");
            Objects.requireNonNull(credential, "credential");
            errors = List.copyOf(errors);
        }
    }

    /**
     * A declared device: the fields of {@link NewDevice}, with its credential by name.
     *
     * @param entry where it is declared, for messages, e.g. {@code devices[3]}
     * @param name see {@link NewDevice}
     * @param address see {@link NewDevice}
     * @param port see {@link NewDevice}; {@code null}: 161
     * @param site see {@link NewDevice}
     * @param kind see {@link NewDevice}
     * @param pollIntervalS see {@link NewDevice}; {@code null}: 60
     * @param profiles see {@link NewDevice}
     * @param credential the name of a stored or declared credential
     * @param errors faults found while reading the entry (an unknown key, text where a number belongs);
     *        if any, they are reported and the stored device of that name is left as it is
     */
    public record DeclaredDevice(String entry, String name, String address, Integer port, String site, String kind,
                                 Integer pollIntervalS, List<String> profiles, String credential, List<String> errors) {
        public DeclaredDevice {
            Objects.requireNonNull(entry, "entry");
            profiles = profiles == null ? null : List.copyOf(profiles);
            errors = List.copyOf(errors);
        }
    }

    /**
     * What applying a declaration did.
     *
     * @param created credentials and devices created
     * @param updated credentials and devices changed
     * @param removed credentials and devices removed because the file no longer declares them
     * @param unchanged declared credentials and devices that were already as declared
     * @param problems one line per fault, naming its entry; empty if none
     */
    public record Outcome(int created, int updated, int removed, int unchanged, List<String> problems) {
        public Outcome {
            problems = List.copyOf(problems);
        }
    }
}
