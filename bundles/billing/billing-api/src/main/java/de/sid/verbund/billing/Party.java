package de.sid.verbund.billing;

/**
 * Seller or buyer of an invoice (EN 16931 BG-4 / BG-7 with their addresses and contacts).
 *
 * @param name legal name (BT-27 / BT-44)
 * @param line1 street and number (BT-35 / BT-50)
 * @param line2 additional address line, or {@code null}
 * @param postalCode post code (BT-38 / BT-53)
 * @param city city (BT-37 / BT-52)
 * @param countryCode ISO 3166-1 alpha-2 (BT-40 / BT-55)
 * @param vatId VAT identifier (BT-31 / BT-48), or {@code null}
 * @param electronicAddress e-mail address for electronic delivery (BT-34 / BT-49, scheme EM)
 * @param contactName contact person (BT-41 / BT-56), or {@code null}
 * @param contactPhone contact telephone (BT-42 / BT-57), or {@code null}
 * @param contactEmail contact e-mail (BT-43 / BT-58), or {@code null}
 */
public record Party(String name, String line1, String line2, String postalCode, String city, String countryCode,
        String vatId, String electronicAddress, String contactName, String contactPhone, String contactEmail) {
}
