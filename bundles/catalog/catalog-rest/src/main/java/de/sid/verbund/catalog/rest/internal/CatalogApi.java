package de.sid.verbund.catalog.rest.internal;

import de.sid.verbund.core.rest.OpenApiFragment;
import org.osgi.service.component.annotations.Component;

/** The OpenAPI paths of {@code /offerings} and {@code /orders}. */
@Component
public class CatalogApi implements OpenApiFragment {
    static final String RESOURCE = "openapi/catalog.json";

    @Override
    public String json() {
        return OpenApiFragment.read(CatalogApi.class, RESOURCE);
    }
}
