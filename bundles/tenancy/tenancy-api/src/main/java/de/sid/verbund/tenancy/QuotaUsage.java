package de.sid.verbund.tenancy;

/**
 * An authority's quota and what is reserved against it.
 *
 * @param authorityId the authority
 * @param quota its own limits
 * @param reserved what it and everything below it hold (reservations of orders in progress and
 *        of fulfilled, not yet decommissioned services)
 */
public record QuotaUsage(String authorityId, Quota quota, Resources reserved) {
}
