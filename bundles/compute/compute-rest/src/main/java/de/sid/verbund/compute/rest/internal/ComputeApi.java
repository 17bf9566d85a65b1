package de.sid.verbund.compute.rest.internal;

import de.sid.verbund.core.rest.OpenApiFragment;
import org.osgi.service.component.annotations.Component;

/** The OpenAPI paths of {@code /hosts}, {@code /vms} and {@code /placement/dry-run}. */
@Component
public class ComputeApi implements OpenApiFragment {
    static final String RESOURCE = "openapi/compute.json";

    @Override
    public String json() {
        return OpenApiFragment.read(ComputeApi.class, RESOURCE);
    }
}
