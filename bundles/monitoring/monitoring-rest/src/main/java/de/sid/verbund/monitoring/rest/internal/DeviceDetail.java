package de.sid.verbund.monitoring.rest.internal;

import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceKind;
import de.sid.verbund.monitoring.inventory.DeviceState;
import de.sid.verbund.monitoring.inventory.DeviceState.InterfaceState;
import de.sid.verbund.monitoring.inventory.DeviceState.SensorState;
import de.sid.verbund.monitoring.inventory.DeviceState.UpsState;
import de.sid.verbund.monitoring.inventory.DeviceStatus;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/devices/{id}}: the fields of {@link Device} and its {@link DeviceState}. A section
 * the device does not have is {@code null}, so it is left out of the JSON (the API's mapper writes
 * no nulls).
 */
record DeviceDetail(String id, String name, String address, int port, String site, DeviceKind kind, int pollIntervalS,
                    List<String> profiles, String credentialId, Instant createdAt, Device.Origin origin, DeviceStatus status,
                    List<InterfaceState> interfaces, List<SensorState> sensors, UpsState ups) {

    /** @param state the poller's state of the device, or null when no poller runs */
    static DeviceDetail of(Device d, DeviceState state) {
        return new DeviceDetail(d.id(), d.name(), d.address(), d.port(), d.site(), d.kind(), d.pollIntervalS(), d.profiles(),
                d.credentialId(), d.createdAt(), d.origin(), state == null ? null : state.status(),
                state == null || state.interfaces().isEmpty() ? null : state.interfaces(),
                state == null || state.sensors().isEmpty() ? null : state.sensors(), state == null ? null : state.ups());
    }
}
