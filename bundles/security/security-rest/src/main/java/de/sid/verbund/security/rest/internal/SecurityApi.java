package de.sid.verbund.security.rest.internal;

import de.sid.verbund.core.rest.OpenApiFragment;
import org.osgi.service.component.annotations.Component;

/** The OpenAPI paths of {@code /users}, {@code /audit} and {@code /session}. */
@Component
public class SecurityApi implements OpenApiFragment {
    static final String RESOURCE = "openapi/security.json";

    @Override
    public String json() {
        return OpenApiFragment.read(SecurityApi.class, RESOURCE);
    }
}
