package de.sid.verbund.catalog;

import java.time.Instant;

/**
 * One stored step of an order's history.
 *
 * @param from the state before, {@code null} for the submission
 * @param to the state after (the same as {@code from} for the first of two approvals)
 * @param at when
 * @param actor who: a username, or {@code system} (auto-approval, fulfilment)
 * @param detail what happened, e.g. the reason, may be empty
 */
public record OrderTransition(OrderState from, OrderState to, Instant at, String actor, String detail) {
}
