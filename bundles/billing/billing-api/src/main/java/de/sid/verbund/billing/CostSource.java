package de.sid.verbund.billing;

import de.sid.verbund.core.Money;

/** Month-to-date cost per authority, for budgets (tenancy) and the Prometheus gauge. */
public interface CostSource {
    /**
     * The net cost (EUR, rounded to cents like invoice lines) of what the authority itself used
     * from the start of the current Europe/Berlin month until now, rated with the price sheets
     * valid at the time of use. Units below the authority are not included; callers sum them
     * where a budget covers a subtree.
     *
     * @param authorityId the authority (tenant) id
     * @return zero for an authority without usage
     */
    Money monthToDate(String authorityId);
}
