package de.sid.verbund.catalog;

import java.util.List;

/**
 * A submitted order and what the requester should know about it.
 *
 * @param order the order as stored (already PROVISIONING when no approval was needed)
 * @param warnings e.g. the budget's soft threshold reached, with the figures; possibly empty
 */
public record OrderReceipt(Order order, List<String> warnings) {
    public OrderReceipt {
        warnings = List.copyOf(warnings);
    }
}
