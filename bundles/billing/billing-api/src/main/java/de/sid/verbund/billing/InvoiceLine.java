package de.sid.verbund.billing;

import de.sid.verbund.core.BillingPeriod;
import de.sid.verbund.core.Money;
import java.math.BigDecimal;

/**
 * One line: a service and resource with quantity, unit price and amount (EN 16931 BG-25).
 *
 * @param position 1, 2, … (BT-126)
 * @param service the service, e.g. {@code compute}
 * @param resource what was used, e.g. {@code vm-m} or {@code vcpu}, {@code ram}, {@code disk}
 * @param description human text (BT-153 item name), e.g. "VM M (2 vCPU, 4096 MiB), 744 h"
 * @param quantity quantity in {@code unit}, unrounded as rated (BT-129)
 * @param unit UN/ECE Recommendation 20 unit code (BT-130): {@code HUR} hour, {@code MON} month,
 *        {@code C62} one (piece)
 * @param unitPrice EUR per unit, 4 decimals (BT-146)
 * @param amount EUR, {@code quantity × unitPrice} rounded to cents HALF_UP (BT-131); negative on
 *        a correction that lowers the charge
 * @param correctionOf the earlier period this line corrects (usage that arrived after that
 *        period was final), or {@code null}
 * @param priceSheetId the price sheet the unit price comes from
 */
public record InvoiceLine(int position, String service, String resource, String description, BigDecimal quantity,
        String unit, Money unitPrice, Money amount, BillingPeriod correctionOf, String priceSheetId) {
}
