package de.sid.verbund.catalog;

import java.util.List;
import java.util.Map;

/**
 * An order to submit.
 *
 * @param tenantId the ordering authority
 * @param kind {@code null} for PROVISION
 * @param offering PROVISION: the offering's id or code (its current version is ordered)
 * @param quantity PROVISION: 1..20, {@code null} for 1
 * @param name PROVISION: VM name, 1–60 of {@code a-z 0-9 -} starting with a letter (unit {@code k}
 *        of several is {@code <name>-k})
 * @param parameters PROVISION: optional {@code site} (1–63 characters) and {@code antiAffinityGroup}
 *        (a VM name); nothing else
 * @param vmIds DECOMMISSION: the authority's VMs to remove, 1..100
 */
public record NewOrder(String tenantId, OrderKind kind, String offering, Integer quantity, String name,
        Map<String, Object> parameters, List<String> vmIds) {
}
