package de.sid.verbund.billing.export.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

class CsvInvoiceRendererTest {
    private final CsvInvoiceRenderer renderer = new CsvInvoiceRenderer();

    private static List<CSVRecord> parse(byte[] csv) throws IOException {
        try (CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(new String(csv, StandardCharsets.UTF_8)))) {
            assertThat(p.getHeaderNames()).containsExactly(CsvInvoiceRenderer.COLUMNS);
            return p.getRecords();
        }
    }

    @Test
    void oneRowPerLineWithExactFigures() throws IOException {
        byte[] csv = Documents.render(renderer, Documents.vat19());

        assertThat(new String(csv, StandardCharsets.UTF_8)).startsWith("document_number,document_type,period,authority,"
                + "cost_centre,buyer_reference,position,service,resource,description,quantity,unit,unit_price,amount,"
                + "correction_of,price_sheet_id\r\n");
        List<CSVRecord> rows = parse(csv);
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0).toList()).containsExactly("2026-000042", "INVOICE", "2026-11", Documents.AUTHORITY,
                "KS-4711", Documents.LEITWEG_ID, "1", "compute", "vm-m", "VM M (2 vCPU, 4096 MiB), 720 h", "720",
                "HUR", "0.0417", "30.02", "", "ps-2026-01");
        // UTF-8 text with quotes and a comma survives the round trip
        assertThat(rows.get(1).get("description")).isEqualTo("Datensicherung, Pauschale „Gold“ für November");
        assertThat(rows.get(1).get("unit_price")).isEqualTo("1234.5000");
        assertThat(rows.get(1).get("amount")).isEqualTo("1234.50");
        assertThat(rows.get(2).get("correction_of")).isEqualTo("2026-10");
        assertThat(rows.get(3).get("quantity")).isEqualTo("-5");
        assertThat(rows.get(3).get("amount")).isEqualTo("-0.21");
        assertThat(rows.get(3).get("correction_of")).isEqualTo("2026-09");
        // the rows add up to the document's net
        assertThat(rows.stream().map(r -> new java.math.BigDecimal(r.get("amount")))
                .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add)).isEqualByComparingTo("1264.52");
    }

    @Test
    void draftHasNoNumberAndCostAllocationItsCostCentre() throws IOException {
        assertThat(parse(Documents.render(renderer, Documents.draft())).get(0).get("document_number")).isEmpty();
        CSVRecord row = parse(Documents.render(renderer, Documents.costAllocation())).get(0);
        assertThat(row.get("document_type")).isEqualTo("COST_ALLOCATION");
        assertThat(row.get("buyer_reference")).isEqualTo("KS-4711");
    }

    @Test
    void creditNoteRows() throws IOException {
        List<CSVRecord> rows = parse(Documents.render(renderer, Documents.creditNote()));
        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.get("document_type")).isEqualTo("CREDIT_NOTE");
            assertThat(r.get("quantity")).isEqualTo("-24");
            assertThat(r.get("amount")).isEqualTo("-1.00");
        });
    }
}
