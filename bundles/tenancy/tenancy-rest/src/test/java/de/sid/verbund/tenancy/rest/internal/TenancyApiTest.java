package de.sid.verbund.tenancy.rest.internal;

import de.sid.verbund.testsupport.OpenApiAssert;
import org.junit.jupiter.api.Test;

class TenancyApiTest {
    @Test
    void everyOperationIsDocumented() {
        OpenApiAssert.assertDocumented(new TenancyApi().json(), AuthoritiesResource.class, QuotasResource.class);
    }
}
