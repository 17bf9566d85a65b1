package de.sid.verbund.tenancy;

import java.util.List;

/** What is given to create or replace an authority; see {@link Authority} for the fields. */
public record NewAuthority(String name, AuthorityKind kind, String parentId, String costCentre, String leitwegId,
        BillingAddress billingAddress, BillingMode billingMode, boolean vatLiable, List<Contact> contacts, Quota quota,
        Budget budget) {
}
