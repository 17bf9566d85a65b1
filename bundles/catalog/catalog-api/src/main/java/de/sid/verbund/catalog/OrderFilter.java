package de.sid.verbund.catalog;

/** Which orders to list; {@code null} fields do not filter. */
public record OrderFilter(String tenantId, OrderState state) {
}
