package de.sid.verbund.alarms.rest.internal;

import de.sid.verbund.core.rest.OpenApiFragment;
import org.osgi.service.component.annotations.Component;

/** The OpenAPI paths of {@code /alarms}. */
@Component
public class AlarmsApi implements OpenApiFragment {
    static final String RESOURCE = "openapi/alarms.json";

    @Override
    public String json() {
        return OpenApiFragment.read(AlarmsApi.class, RESOURCE);
    }
}
