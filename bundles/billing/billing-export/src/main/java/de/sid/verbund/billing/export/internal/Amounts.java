package de.sid.verbund.billing.export.internal;

import de.sid.verbund.core.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** Scale checks of money in exports: the model rounds, the exports only show what it holds. */
final class Amounts {
    private Amounts() {
    }

    /**
     * @param what names the figure in the error, e.g. "line 3 amount"
     * @return the amount with exactly 2 decimals
     * @throws IllegalArgumentException when the amount has more than 2 significant decimals (the
     *         model rounds lines and totals to cents; EN 16931 BR-DEC rules allow no more)
     */
    static BigDecimal cents(Money money, String what) {
        try {
            return money.amount().setScale(Money.CENT_SCALE, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(what + " " + money.amount().toPlainString()
                    + " EUR is not rounded to cents", e);
        }
    }

    /** @return the unit price with {@value Money#UNIT_PRICE_SCALE} decimals (more are refused) */
    static BigDecimal unitPrice(Money money) {
        try {
            return money.amount().setScale(Money.UNIT_PRICE_SCALE, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("unit price " + money.amount().toPlainString()
                    + " EUR has more than " + Money.UNIT_PRICE_SCALE + " decimals", e);
        }
    }
}
