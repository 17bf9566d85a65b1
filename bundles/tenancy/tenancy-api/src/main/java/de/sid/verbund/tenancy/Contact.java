package de.sid.verbund.tenancy;

/**
 * A contact person of an authority.
 *
 * @param role what the contact is for, e.g. {@code billing}, {@code technical}
 * @param name full name
 * @param email e-mail address
 * @param phone telephone number, or {@code null}
 */
public record Contact(String role, String name, String email, String phone) {
}
