package de.sid.verbund.cluster.rest.internal;

import de.sid.verbund.testsupport.OpenApiAssert;
import org.junit.jupiter.api.Test;

class ClusterApiTest {
    @Test
    void everyOperationIsDocumented() {
        OpenApiAssert.assertDocumented(new ClusterApi().json(), ClusterResource.class);
    }
}
