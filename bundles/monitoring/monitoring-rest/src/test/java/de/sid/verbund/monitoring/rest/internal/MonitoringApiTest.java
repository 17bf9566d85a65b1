package de.sid.verbund.monitoring.rest.internal;

import de.sid.verbund.testsupport.OpenApiAssert;
import org.junit.jupiter.api.Test;

class MonitoringApiTest {
    @Test
    void everyOperationIsDocumented() {
        OpenApiAssert.assertDocumented(new MonitoringApi().json(), DevicesResource.class, CredentialsResource.class);
    }
}
