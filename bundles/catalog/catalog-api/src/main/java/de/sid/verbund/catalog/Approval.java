package de.sid.verbund.catalog;

import java.time.Instant;

/**
 * One approval given to an order.
 *
 * @param step {@value #AUTHORITY_ADMIN} or {@value #SID_OPERATOR}
 * @param userId who approved
 * @param username their login name
 * @param comment their comment, may be empty
 * @param at when
 */
public record Approval(String step, String userId, String username, String comment, Instant at) {
    public static final String AUTHORITY_ADMIN = "authority-admin";
    public static final String SID_OPERATOR = "sid-operator";
}
