package de.sid.verbund.tenancy;

/**
 * A postal address for invoices (EN 16931 BG-8 buyer postal address).
 *
 * @param line1 street and number (BT-50)
 * @param line2 additional line (BT-51), or {@code null}
 * @param postalCode post code (BT-53)
 * @param city city (BT-52)
 * @param countryCode ISO 3166-1 alpha-2, e.g. {@code DE} (BT-55)
 */
public record BillingAddress(String line1, String line2, String postalCode, String city, String countryCode) {
}
