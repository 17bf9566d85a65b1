package de.sid.verbund.rest.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import de.sid.verbund.core.rest.OpenApiFragment;
import de.sid.verbund.testsupport.OpenApiAssert;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenApiTest {
    @Test
    void coreOperationsAreDocumented() {
        OpenApiAssert.assertDocumented(new CoreApi().json(), HealthResource.class, OpenApiResource.class);
    }

    @Test
    void fragmentsAreMergedIntoTheBaseDocument() {
        OpenApiFragment other = () -> "{\"paths\": {\"/things\": {\"get\": {}}}, \"components\": {\"schemas\": {\"Thing\": {\"type\": \"object\"}}}}";
        JsonNode doc = OpenApiResource.merge(OpenApiResource.resource("openapi/base.json"), List.of(new CoreApi(), other));
        assertThat(doc.path("openapi").asText()).startsWith("3.");
        assertThat(doc.path("paths").has("/health")).isTrue();
        assertThat(doc.path("paths").has("/things")).isTrue();
        assertThat(doc.path("components").path("schemas").has("Thing")).isTrue();
        assertThat(doc.path("components").path("schemas").has("Problem")).isTrue();
        assertThat(doc.path("components").path("schemas").has("HealthReport")).isTrue();
    }
}
