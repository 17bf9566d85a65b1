package de.sid.verbund.monitoring.rest.internal;

import de.sid.verbund.core.rest.OpenApiFragment;
import org.osgi.service.component.annotations.Component;

/** The OpenAPI paths of {@code /devices} and {@code /credentials}. */
@Component
public class MonitoringApi implements OpenApiFragment {
    static final String RESOURCE = "openapi/monitoring.json";

    @Override
    public String json() {
        return OpenApiFragment.read(MonitoringApi.class, RESOURCE);
    }
}
