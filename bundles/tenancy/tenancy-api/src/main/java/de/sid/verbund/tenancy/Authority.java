package de.sid.verbund.tenancy;

import java.time.Instant;
import java.util.List;

/**
 * An authority (tenant). Its id is the tenant id everywhere else (VMs, orders, usage, invoices,
 * permissions {@code area:action:<id>}).
 *
 * @param id UUID
 * @param name display name, unique among its siblings
 * @param kind level in the hierarchy
 * @param parentId the parent authority, {@code null} for a ministry
 * @param costCentre cost centre (Kostenstelle) charged in internal cost allocation
 * @param leitwegId routing id for e-invoices to German public bodies (XRechnung BT-10), see
 *        {@link LeitwegId}; required in billing mode {@link BillingMode#INVOICE}
 * @param billingAddress the invoice address
 * @param billingMode invoice or internal cost allocation
 * @param vatLiable whether invoices carry VAT (19 %); always {@code false} in mode INTERNAL
 * @param contacts contact people
 * @param quota its own limits (the parents' apply as well)
 * @param budget its monthly budget
 * @param createdAt when it was created
 */
public record Authority(String id, String name, AuthorityKind kind, String parentId, String costCentre, String leitwegId,
        BillingAddress billingAddress, BillingMode billingMode, boolean vatLiable, List<Contact> contacts, Quota quota,
        Budget budget, Instant createdAt) {
    public Authority {
        contacts = contacts == null ? List.of() : List.copyOf(contacts);
    }
}
