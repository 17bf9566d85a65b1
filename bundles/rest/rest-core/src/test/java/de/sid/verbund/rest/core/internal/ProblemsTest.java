package de.sid.verbund.rest.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.sid.verbund.core.Problem;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemsTest {
    record Order(String name, Integer quantity, List<String> tags, BigDecimal price) {
    }

    private final ObjectMapper mapper = Json.mapper();

    private Problem read(String json) {
        Throwable t = catchThrowable(() -> mapper.readValue(json, Order.class));
        assertThat(t).as("reading %s must fail", json).isNotNull();
        return Problems.from(t, "/api/orders");
    }

    @Test
    void aMalformedPercentEncodingInTheUrlIsTheClientsFault() {
        // what CXF throws while decoding "?x=%%%" for a resource method's query parameter
        Throwable decoding = catchThrowable(() -> org.apache.cxf.common.util.UrlUtils.urlDecode("%%%"));
        Problem p = Problems.from(new RuntimeException("wrapped", decoding), "/api/health");
        assertThat(p.status()).isEqualTo(400);
        assertThat(p.detail()).startsWith("malformed percent-encoding in the request URL");
        // any other IllegalArgumentException is still the server's error
        assertThat(Problems.from(new IllegalArgumentException("bug"), "/api/health").status()).isEqualTo(500);
    }

    @Test
    void malformedJsonSaysWhere() {
        Problem p = read("{\"name\": \"a\",");
        assertThat(p.status()).isEqualTo(400);
        assertThat(p.detail()).startsWith("malformed JSON at line 1, column");
        assertThat(p.instance()).isEqualTo("/api/orders");
        assertThat(p.type()).isEqualTo("urn:verbund:problem:bad-request");
    }

    @Test
    void unknownFieldIsNamedWithTheKnownOnes() {
        Problem p = read("{\"name\": \"a\", \"colour\": 1}");
        assertThat(p.detail()).contains("unknown field 'colour'").contains("known fields: name, price, quantity, tags");
    }

    @Test
    void wrongTypesAreRefusedNotCoerced() {
        assertThat(read("{\"name\": 5}").detail()).contains("field 'name'").contains("string");
        assertThat(read("{\"quantity\": \"three\"}").detail()).contains("field 'quantity'");
        assertThat(read("{\"quantity\": \"3\"}").detail()).contains("field 'quantity'");
        assertThat(read("{\"tags\": \"x\"}").detail()).contains("field 'tags'").contains("array");
    }

    @Test
    void duplicateFieldsAndFractionsForWholeNumbersAreRefused() {
        assertThat(read("{\"name\": \"a\", \"name\": \"b\"}").detail()).contains("Duplicate field 'name'");
        assertThat(read("{\"quantity\": 30.5}").detail()).contains("field 'quantity'");
    }

    @Test
    void trailingGarbageIsRefused() {
        assertThat(read("{\"name\": \"a\"} {}").status()).isEqualTo(400);
    }

    @Test
    void decimalsStayExact() throws Exception {
        assertThat(mapper.readValue("{\"price\": 0.1}", Order.class).price()).isEqualByComparingTo("0.1");
    }

    @Test
    void problemExceptionsKeepTheirTypeAndErrors() {
        Problem p = Problems.from(new ProblemException(ProblemType.CONFLICT, "taken", List.of("a", "b"), null), "/api/x");
        assertThat(p.status()).isEqualTo(409);
        assertThat(p.detail()).isEqualTo("taken");
        assertThat(p.errors()).containsExactly("a", "b");
    }

    @Test
    void problemInsideJacksonWrapperIsFound() {
        RuntimeException wrapped = new RuntimeException(new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "too big"));
        assertThat(Problems.from(wrapped, "/api/x").status()).isEqualTo(413);
    }

    @Test
    void unexpectedErrorsDoNotLeakDetails() {
        Problem p = Problems.from(new IllegalStateException("password=secret in stack"), "/api/x");
        assertThat(p.status()).isEqualTo(500);
        assertThat(p.detail()).doesNotContain("secret");
    }

    @Test
    void bodyLimitStopsReadingPastOneMiB() {
        byte[] data = new byte[1024 * 1024 + 1];
        BodyLimit.Bounded in = new BodyLimit.Bounded(new ByteArrayInputStream(data), 1024 * 1024);
        Throwable t = catchThrowable(in::readAllBytes);
        assertThat(t).isInstanceOf(ProblemException.class);
        assertThat(((ProblemException) t).type()).isEqualTo(ProblemType.PAYLOAD_TOO_LARGE);
    }

    @Test
    void bodyLimitLetsExactlyOneMiBThrough() throws Exception {
        byte[] data = new byte[1024 * 1024];
        assertThat(new BodyLimit.Bounded(new ByteArrayInputStream(data), 1024 * 1024).readAllBytes()).hasSize(data.length);
    }
}
