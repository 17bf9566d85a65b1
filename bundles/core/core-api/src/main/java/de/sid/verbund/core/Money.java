package de.sid.verbund.core;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * An amount of money in EUR, exact ({@link BigDecimal}, never {@code double}).
 *
 * <p>Two scales are in use: unit prices carry {@value #UNIT_PRICE_SCALE} decimals, and invoice
 * lines and totals carry {@value #CENT_SCALE} (cents). Arithmetic keeps full precision;
 * {@link #roundToCents()} is the one documented rounding point, with
 * {@link RoundingMode#HALF_UP} (kaufmännisches Runden, as German commercial practice and
 * EN 16931 amounts with two decimals expect).
 */
public final class Money implements Comparable<Money> {
    /** ISO 4217 code of the only currency Verbund bills in. */
    public static final String CURRENCY = "EUR";
    /** Decimals of a unit price (e.g. EUR per vCPU-hour). */
    public static final int UNIT_PRICE_SCALE = 4;
    /** Decimals of a line or invoice amount. */
    public static final int CENT_SCALE = 2;
    /** The rounding mode of {@link #roundToCents()}. */
    public static final RoundingMode ROUNDING = RoundingMode.HALF_UP;

    public static final Money ZERO = new Money(BigDecimal.ZERO);

    private final BigDecimal amount;

    private Money(BigDecimal amount) {
        this.amount = Objects.requireNonNull(amount, "amount");
    }

    /**
     * @param amount EUR, any scale
     * @return the money value, unrounded
     */
    public static Money eur(BigDecimal amount) {
        return new Money(amount);
    }

    /**
     * @param amount EUR as decimal text, e.g. {@code "12.3456"}
     * @throws NumberFormatException if the text is not a decimal number
     */
    public static Money eur(String amount) {
        return new Money(new BigDecimal(amount));
    }

    /**
     * A unit price, validated to carry at most {@value #UNIT_PRICE_SCALE} decimals.
     *
     * @throws ProblemException BAD_REQUEST when more decimals are given
     */
    public static Money unitPrice(BigDecimal amount) {
        BigDecimal stripped = amount.stripTrailingZeros();
        if (stripped.scale() > UNIT_PRICE_SCALE) {
            throw ProblemException.badRequest("unit price " + amount.toPlainString() + " EUR has more than "
                    + UNIT_PRICE_SCALE + " decimals");
        }
        return new Money(amount.setScale(UNIT_PRICE_SCALE, ROUNDING));
    }

    public BigDecimal amount() {
        return amount;
    }

    public Money plus(Money other) {
        return new Money(amount.add(other.amount));
    }

    public Money minus(Money other) {
        return new Money(amount.subtract(other.amount));
    }

    /** @param quantity a quantity in the unit the price is for (hours, GiB-months, …), unrounded */
    public Money times(BigDecimal quantity) {
        return new Money(amount.multiply(quantity));
    }

    public Money negate() {
        return new Money(amount.negate());
    }

    public boolean isNegative() {
        return amount.signum() < 0;
    }

    /** The one rounding point: to cents, {@link RoundingMode#HALF_UP} (1.005 → 1.01, −1.005 → −1.01). */
    public Money roundToCents() {
        return new Money(amount.setScale(CENT_SCALE, ROUNDING));
    }

    @Override
    public int compareTo(Money o) {
        return amount.compareTo(o.amount);
    }

    /** Equal when numerically equal, whatever the scale (1.50 equals 1.5). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Money m && amount.compareTo(m.amount) == 0;
    }

    @Override
    public int hashCode() {
        return amount.stripTrailingZeros().hashCode();
    }

    /** @return e.g. {@code "12.34 EUR"} with the amount's own scale */
    @Override
    public String toString() {
        return amount.toPlainString() + " " + CURRENCY;
    }
}
