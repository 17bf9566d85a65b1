package de.sid.verbund.security.rest.internal;

import de.sid.verbund.testsupport.OpenApiAssert;
import org.junit.jupiter.api.Test;

class SecurityApiTest {
    @Test
    void everyOperationIsDocumented() {
        OpenApiAssert.assertDocumented(new SecurityApi().json(), UsersResource.class, AuditResource.class, SessionResource.class);
    }
}
