package de.sid.verbund.catalog.rest.internal;

import de.sid.verbund.testsupport.OpenApiAssert;
import org.junit.jupiter.api.Test;

class CatalogApiTest {
    @Test
    void everyOperationIsDocumented() {
        OpenApiAssert.assertDocumented(new CatalogApi().json(), OfferingsResource.class, OrdersResource.class);
    }
}
