package de.sid.verbund.catalog;

import java.time.Instant;
import java.util.Map;

/**
 * One version of a catalogue offering. Every change makes a new version; orders keep the version
 * they were made of ({@link Order#offered()}).
 *
 * @param id the offering's id (UUID), the same for all its versions
 * @param code its stable code, e.g. {@code vm-m}: 1–36 of {@code a-z 0-9 -}; what VMs carry as
 *        their offering and billing prices by
 * @param version 1, 2, …
 * @param kind what it provides; {@value #KIND_VM} (a virtual machine of {@link #sizing()}) for now
 * @param name display name
 * @param description what the authority gets
 * @param sizing the size of one unit
 * @param parameters kind-specific settings (JSON-compatible values), possibly empty
 * @param approval who must approve an order of it
 * @param active {@code false} once retired: no new orders
 * @param changedAt when this version was made
 * @param changedBy who made it (username)
 * @param price its price now, or {@code null} when billing quotes none (no billing, no price sheet)
 */
public record Offering(String id, String code, int version, String kind, String name, String description, Sizing sizing,
        Map<String, Object> parameters, ApprovalPolicy approval, boolean active, Instant changedAt, String changedBy,
        Price price) {
    /** The kind of VM offerings. */
    public static final String KIND_VM = "vm";

    public Offering {
        parameters = parameters == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
    }

    /** @return this version with a price */
    public Offering withPrice(Price p) {
        return new Offering(id, code, version, kind, name, description, sizing, parameters, approval, active, changedAt,
                changedBy, p);
    }
}
