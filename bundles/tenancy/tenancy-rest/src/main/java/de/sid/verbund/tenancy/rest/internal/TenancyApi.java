package de.sid.verbund.tenancy.rest.internal;

import de.sid.verbund.core.rest.OpenApiFragment;
import org.osgi.service.component.annotations.Component;

/** The OpenAPI paths of {@code /authorities} and {@code /quotas}. */
@Component
public class TenancyApi implements OpenApiFragment {
    static final String RESOURCE = "openapi/tenancy.json";

    @Override
    public String json() {
        return OpenApiFragment.read(TenancyApi.class, RESOURCE);
    }
}
