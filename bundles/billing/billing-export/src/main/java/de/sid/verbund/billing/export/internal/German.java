package de.sid.verbund.billing.export.internal;

import de.sid.verbund.core.BillingPeriod;
import de.sid.verbund.core.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * German number, money and date texts for documents read by people (DIN 5008 style): {@code 1.234,56 €},
 * {@code 0,0417 €}, {@code 744} or {@code 12,5}, {@code 30.11.2026}. A plain space stands before the
 * euro sign (not the no-break space of the JDK's locale data), so the text extracts as typed.
 */
final class German {
    private static final DecimalFormatSymbols SYMBOLS = DecimalFormatSymbols.getInstance(Locale.GERMANY);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd.MM.yyyy");

    private German() {
    }

    /** @return e.g. {@code 1.234,56 €}, {@code -0,01 €} (cents, as the model rounded them) */
    static String money(Money m) {
        return format("#,##0.00", m.amount()) + " €";
    }

    /** @return a unit price with 4 decimals, e.g. {@code 0,0417 €} */
    static String unitPrice(Money m) {
        return format("#,##0.0000", m.amount()) + " €";
    }

    /** @return a quantity with as many decimals as it has (up to 6), e.g. {@code 1.000} or {@code 12,5} */
    static String quantity(BigDecimal q) {
        return format("#,##0.######", q);
    }

    /** @return a percentage, e.g. {@code 19 %} */
    static String percent(BigDecimal p) {
        return format("#,##0.##", p) + " %";
    }

    static String date(LocalDate d) {
        return DATE.format(d);
    }

    /** @return e.g. {@code 01.11.2026 – 30.11.2026} */
    static String period(BillingPeriod p) {
        return date(p.month().atDay(1)) + " – " + date(p.month().atEndOfMonth());
    }

    /** @return e.g. {@code 10/2026} */
    static String month(BillingPeriod p) {
        return String.format("%02d/%d", p.month().getMonthValue(), p.month().getYear());
    }

    /** @return the German name of a UN/ECE Rec. 20 unit, or the code itself */
    static String unit(String code) {
        return switch (code) {
            case "HUR" -> "Std.";
            case "MON" -> "Monat";
            case "DAY" -> "Tag";
            case "C62", "H87" -> "Stück";
            case "E34" -> "GB";
            default -> code;
        };
    }

    private static String format(String pattern, BigDecimal value) {
        DecimalFormat f = new DecimalFormat(pattern, SYMBOLS);
        f.setRoundingMode(RoundingMode.HALF_UP);
        return f.format(value);
    }
}
