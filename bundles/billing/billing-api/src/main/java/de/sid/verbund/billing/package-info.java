/**
 * Billing: what other areas read of it and the invoice model its exports render.
 * {@link de.sid.verbund.billing.PriceSheetService}, {@link de.sid.verbund.billing.UsageService},
 * {@link de.sid.verbund.billing.UsageRecorder} (the SPI of usage sources) and
 * {@link de.sid.verbund.billing.InvoiceService} are the billing core's services (REST and shell use
 * them). {@link de.sid.verbund.billing.CostSource} gives an authority's month-to-date cost (the tenancy
 * area's budgets), {@link de.sid.verbund.billing.PriceQuotes} the current price of an offering (the
 * catalogue); {@link de.sid.verbund.billing.Invoice} is an invoice, cost-allocation statement or
 * credit note as rated, and {@link de.sid.verbund.billing.InvoiceRenderer}s turn it into CSV,
 * XRechnung (EN 16931, UBL 2.1) or PDF.
 *
 * <p>Money is {@link de.sid.verbund.core.Money} in EUR: unit prices with 4 decimals, line amounts
 * rounded to cents HALF_UP once per line, totals the sums of rounded lines.
 */
@Export
@Version("1.1.0")
package de.sid.verbund.billing;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
