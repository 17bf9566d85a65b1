package de.sid.verbund.billing.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The shipped {@code etc/de.sid.verbund.billing.cfg} is read by Karaf as a properties file, that
 * is ISO-8859-1 with Unicode escapes such as {@code \\u00e4}: the seller's name and street must come out as
 * written on the invoice (they were garbled when the file held UTF-8 bytes).
 */
class BillingConfigFileTest {
    static final Path CFG = Path.of("src/main/cfg/de.sid.verbund.billing.cfg");

    @Test
    void theSellerComesOutOfTheShippedFileAsTheInvoiceNeedsIt() throws Exception {
        byte[] bytes = Files.readAllBytes(CFG);
        assertThat(new String(bytes, StandardCharsets.US_ASCII).chars()).allMatch(ch -> ch < 128);
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(CFG)) {
            p.load(in); // ISO-8859-1, as Karaf's configuration files are read
        }
        assertThat(p.getProperty("seller.name")).isEqualTo("Staatsbetrieb Sächsische Informatik Dienste");
        assertThat(p.getProperty("seller.street")).isEqualTo("Riesaer Straße 7");
    }
}
