/**
 * Tenancy: the authorities (Behörden) that are Verbund's tenants, their hierarchy
 * (ministry → authority → organisational unit), billing data (cost centre, Leitweg-ID, billing
 * address, billing mode, VAT flag), contacts, quotas and monthly budgets.
 * {@link de.sid.verbund.tenancy.AuthorityService} reads and changes them;
 * {@link de.sid.verbund.tenancy.QuotaLedger} is where other areas (the catalogue) reserve
 * resources against the quotas of a unit and, summed, of its parents.
 */
@Export
@Version("1.1.0")
package de.sid.verbund.tenancy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
