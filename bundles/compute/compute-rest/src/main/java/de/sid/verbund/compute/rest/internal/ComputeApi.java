package de.sid.verbund.compute.rest.internal;

import de.sid.verbund.core.rest.OpenApiFragment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.osgi.service.component.annotations.Component;

/** The OpenAPI paths of {@code /hosts}, {@code /vms} and {@code /placement/dry-run}. */
@Component
public class ComputeApi implements OpenApiFragment {
    static final String RESOURCE = "openapi/compute.json";

    @Override
    public String json() {
        try (InputStream in = ComputeApi.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
