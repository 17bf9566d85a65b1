package de.sid.verbund.cluster.rest.internal;

import de.sid.verbund.core.rest.OpenApiFragment;
import org.osgi.service.component.annotations.Component;

/** The OpenAPI path of {@code /cluster}. */
@Component
public class ClusterApi implements OpenApiFragment {
    static final String RESOURCE = "openapi/cluster.json";

    @Override
    public String json() {
        return OpenApiFragment.read(ClusterApi.class, RESOURCE);
    }
}
