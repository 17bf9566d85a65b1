package de.sid.verbund.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An order of an authority.
 *
 * @param id UUID
 * @param tenantId the ordering authority
 * @param kind provision or decommission
 * @param offered for PROVISION the offering version as it was when the order was made
 *        ({@link Offering#id()} and {@link Offering#version()} name it), without price;
 *        {@code null} for DECOMMISSION
 * @param quantity units ordered (PROVISION), 1..20; the number of VMs (DECOMMISSION)
 * @param name the VM name for one unit; with several, unit {@code k} is named {@code <name>-k}
 *        ({@code null} for DECOMMISSION)
 * @param parameters what the requester chose ({@code site}, {@code antiAffinityGroup}), possibly empty
 * @param targetVmIds for DECOMMISSION the VMs to remove, else empty
 * @param state its state
 * @param approvalsNeeded the approval steps the offering's policy asks for, in order
 * @param approvals the approvals given, in order
 * @param requestedBy user id of the requester
 * @param requestedByName their username
 * @param reason why it was rejected, cancelled or failed, else {@code null}
 * @param vmIds the VMs made (FULFILLED PROVISION), in unit order, else empty
 * @param createdAt submitted at
 * @param updatedAt last change
 */
public record Order(String id, String tenantId, OrderKind kind, Offering offered, int quantity, String name,
        Map<String, Object> parameters, List<String> targetVmIds, OrderState state, List<String> approvalsNeeded,
        List<Approval> approvals, String requestedBy, String requestedByName, String reason, List<String> vmIds,
        Instant createdAt, Instant updatedAt) {
    public Order {
        parameters = parameters == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
        targetVmIds = targetVmIds == null ? List.of() : List.copyOf(targetVmIds);
        approvalsNeeded = approvalsNeeded == null ? List.of() : List.copyOf(approvalsNeeded);
        approvals = approvals == null ? List.of() : List.copyOf(approvals);
        vmIds = vmIds == null ? List.of() : List.copyOf(vmIds);
    }
}
