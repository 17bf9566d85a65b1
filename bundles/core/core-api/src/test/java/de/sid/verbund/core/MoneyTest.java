package de.sid.verbund.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MoneyTest {
    @Test
    void roundsHalfUpToCentsAtTheOneRoundingPoint() {
        assertThat(Money.eur("1.005").roundToCents().amount()).isEqualByComparingTo("1.01");
        assertThat(Money.eur("1.004999").roundToCents().amount()).isEqualByComparingTo("1.00");
        assertThat(Money.eur("-1.005").roundToCents().amount()).isEqualByComparingTo("-1.01");
        assertThat(Money.eur("2.5").roundToCents().amount().scale()).isEqualTo(2);
    }

    @Test
    void arithmeticKeepsFullPrecisionUntilRounded() {
        Money hourly = Money.unitPrice(new BigDecimal("0.0125"));
        Money month = hourly.times(new BigDecimal("745"));
        assertThat(month.amount()).isEqualByComparingTo("9.3125");
        assertThat(month.roundToCents().amount()).isEqualByComparingTo("9.31");
        assertThat(Money.eur("0.1").plus(Money.eur("0.2"))).isEqualTo(Money.eur("0.3"));
        assertThat(Money.eur("5").minus(Money.eur("7")).isNegative()).isTrue();
        assertThat(Money.eur("5").negate()).isEqualTo(Money.eur("-5.00"));
    }

    @Test
    void unitPricesHaveAtMostFourDecimals() {
        assertThat(Money.unitPrice(new BigDecimal("0.12340")).amount().scale()).isEqualTo(4);
        assertThatThrownBy(() -> Money.unitPrice(new BigDecimal("0.12345")))
                .isInstanceOf(ProblemException.class).hasMessageContaining("more than 4 decimals");
    }

    @Test
    void equalityIgnoresScale() {
        assertThat(Money.eur("1.50")).isEqualTo(Money.eur("1.5")).hasSameHashCodeAs(Money.eur("1.5"));
        assertThat(Money.eur("1.50").toString()).isEqualTo("1.50 EUR");
        assertThat(Money.eur("1").compareTo(Money.eur("2"))).isNegative();
    }
}
