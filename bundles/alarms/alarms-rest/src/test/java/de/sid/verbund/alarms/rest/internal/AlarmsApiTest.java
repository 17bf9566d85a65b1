package de.sid.verbund.alarms.rest.internal;

import de.sid.verbund.testsupport.OpenApiAssert;
import org.junit.jupiter.api.Test;

class AlarmsApiTest {
    @Test
    void everyOperationIsDocumented() {
        OpenApiAssert.assertDocumented(new AlarmsApi().json(), AlarmsResource.class);
    }
}
