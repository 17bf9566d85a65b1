package de.sid.verbund.catalog;

/**
 * Who acts on an order. Permissions are checked by REST and shell; the catalogue checks the
 * approval rules (four-eyes, steps) against this.
 *
 * @param userId user id ({@code shell:<user>} from the console)
 * @param username login name
 * @param sidStaff whether the actor is SID staff (no authority): only SID staff give the
 *        {@value Approval#SID_OPERATOR} approval, only authority staff the {@value Approval#AUTHORITY_ADMIN} one
 */
public record Actor(String userId, String username, boolean sidStaff) {
}
