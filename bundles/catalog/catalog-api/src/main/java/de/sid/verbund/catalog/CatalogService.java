package de.sid.verbund.catalog;

import de.sid.verbund.core.Page;
import java.util.List;
import java.util.Optional;

/**
 * Offerings and orders. Methods do not check permissions (REST and shell do), but they do check
 * the approval rules. Errors are {@link de.sid.verbund.core.ProblemException}s: BAD_REQUEST (every
 * invalid field listed), NOT_FOUND (also for a VM of another authority, answered exactly as for an
 * unknown id), CONFLICT (a code taken, a retired offering, the quota or the budget exceeded with
 * the figures, a transition the order's state does not allow), FORBIDDEN (the requester approving
 * their own order, one person giving both approvals, the wrong side for a step), UNAVAILABLE
 * (not ready yet).
 */
public interface CatalogService {
    /**
     * @param includeRetired whether retired offerings are listed too
     * @return the current version of every offering, by code, with its price where billing quotes one
     */
    List<Offering> offerings(boolean includeRetired);

    /** @return the current version of the offering with this id or code, with its price */
    Optional<Offering> offering(String idOrCode);

    /** @return one version of an offering (without price) */
    Optional<Offering> offeringVersion(String id, int version);

    /** Creates an offering (version 1, active). */
    Offering createOffering(NewOffering offering, Actor actor);

    /** Stores a new version with new content; the code stays, a retired offering stays retired. */
    Offering updateOffering(String idOrCode, NewOffering offering, Actor actor);

    /** Retires an offering (a new version, inactive): no new orders; orders made stay as they are. */
    Offering retireOffering(String idOrCode, Actor actor);

    /**
     * Submits an order of {@code actor}: validates it, refuses it when the budget is exhausted,
     * reserves its quota, stores it SUBMITTED and, when no approval is needed, approves it and
     * starts fulfilment at once.
     */
    OrderReceipt submit(NewOrder order, Actor actor);

    /** Newest first. */
    Page<Order> orders(OrderFilter filter, int limit, String cursor);

    Optional<Order> order(String id);

    /** @return the order's stored transitions, oldest first (empty for an unknown order) */
    List<OrderTransition> transitions(String orderId);

    /**
     * Gives the next approval the order needs; the last one approves it and starts fulfilment
     * (the quota is checked again first: when it no longer fits, the order FAILS with the figures).
     */
    Order approve(String orderId, Actor actor, String comment);

    /** SUBMITTED → REJECTED; the quota is released. */
    Order reject(String orderId, Actor actor, String reason);

    /**
     * SUBMITTED or APPROVED → CANCELLED; the quota is released.
     *
     * @param mayCancelOthers whether the actor may cancel orders requested by others (an admin);
     *        else only the requester may
     */
    Order cancel(String orderId, Actor actor, boolean mayCancelOthers);
}
