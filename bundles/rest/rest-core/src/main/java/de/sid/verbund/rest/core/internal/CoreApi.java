package de.sid.verbund.rest.core.internal;

import de.sid.verbund.core.rest.OpenApiFragment;
import org.osgi.service.component.annotations.Component;

/** rest-core's own OpenAPI paths: {@code /health} and {@code /openapi.json}. */
@Component
public class CoreApi implements OpenApiFragment {
    static final String RESOURCE = "openapi/core.json";

    @Override
    public String json() {
        return OpenApiFragment.read(CoreApi.class, RESOURCE);
    }
}
