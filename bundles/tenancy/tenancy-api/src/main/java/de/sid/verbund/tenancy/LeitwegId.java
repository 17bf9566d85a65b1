package de.sid.verbund.tenancy;

/**
 * The Leitweg-ID: the routing id of a German public buyer for e-invoices (KoSIT, "Formatspezifikation
 * Leitweg-ID" 2.0.2): a coarse address of 2 to 12 digits, an optional fine address of up to 30
 * letters or digits, and two check digits (ISO/IEC 7064 MOD 97-10), separated by hyphens, e.g.
 * {@code 04011000-1234512345-06}.
 */
public final class LeitwegId {
    private LeitwegId() {
    }

    /** @return whether {@code text} is a well-formed Leitweg-ID with correct check digits */
    public static boolean isValid(String text) {
        if (text == null) {
            return false;
        }
        String[] parts = text.split("-", -1);
        if (parts.length < 2 || parts.length > 3) {
            return false;
        }
        String coarse = parts[0];
        String fine = parts.length == 3 ? parts[1] : "";
        String check = parts[parts.length - 1];
        if (!coarse.matches("[0-9]{2,12}") || !fine.matches("[A-Za-z0-9]{0,30}") || !check.matches("[0-9]{2}")
                || (parts.length == 3 && fine.isEmpty())) {
            return false;
        }
        // ISO/IEC 7064 MOD 97-10 over coarse + fine + check digits, letters as 10..35
        String digits = toDigits(coarse + fine.toUpperCase(java.util.Locale.ROOT) + check);
        int rest = 0;
        for (int i = 0; i < digits.length(); i++) {
            rest = (rest * 10 + (digits.charAt(i) - '0')) % 97;
        }
        return rest == 1;
    }

    private static String toDigits(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
        }
        return b.toString();
    }
}
