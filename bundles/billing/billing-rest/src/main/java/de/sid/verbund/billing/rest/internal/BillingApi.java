package de.sid.verbund.billing.rest.internal;

import de.sid.verbund.core.rest.OpenApiFragment;
import org.osgi.service.component.annotations.Component;

/** The OpenAPI paths of {@code /price-sheets}, {@code /usage}, {@code /invoices} and {@code /credit-notes}. */
@Component
public class BillingApi implements OpenApiFragment {
    static final String RESOURCE = "openapi/billing.json";

    @Override
    public String json() {
        return OpenApiFragment.read(BillingApi.class, RESOURCE);
    }
}
