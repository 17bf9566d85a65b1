package de.sid.verbund.monitoring.traps.internal;

import de.sid.verbund.core.rest.OpenApiFragment;
import org.osgi.service.component.annotations.Component;

/** The OpenAPI paths of {@code /traps}. */
@Component
public class TrapsApi implements OpenApiFragment {
    static final String RESOURCE = "openapi/traps.json";

    @Override
    public String json() {
        return OpenApiFragment.read(TrapsApi.class, RESOURCE);
    }
}
