package de.sid.verbund.compute.rest.internal;

import de.sid.verbund.testsupport.OpenApiAssert;
import org.junit.jupiter.api.Test;

class ComputeApiTest {
    @Test
    void everyOperationIsDocumented() {
        OpenApiAssert.assertDocumented(new ComputeApi().json(), HostsResource.class, VmsResource.class, PlacementResource.class);
    }
}
