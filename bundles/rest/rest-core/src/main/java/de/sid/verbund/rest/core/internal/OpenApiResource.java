package de.sid.verbund.rest.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.sid.verbund.core.rest.OpenApiFragment;
import de.sid.verbund.core.rest.RestApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code GET /api/openapi.json} (public): the OpenAPI 3.0 document, merged from this bundle's
 * base document and every {@link OpenApiFragment} service (paths and component schemas).
 */
@Component(service = OpenApiResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@Path("/openapi.json")
public class OpenApiResource {
    private static final ObjectMapper MAPPER = Json.mapper();
    private final List<OpenApiFragment> fragments = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addFragment(OpenApiFragment fragment) {
        fragments.add(fragment);
    }

    void removeFragment(OpenApiFragment fragment) {
        fragments.remove(fragment);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonNode document() {
        return merge(resource("openapi/base.json"), fragments);
    }

    /**
     * @param base the base document (info, security schemes, shared schemas)
     * @param fragments each area's paths and schemas
     * @return the merged document; a later fragment's path replaces an earlier one's
     */
    static JsonNode merge(String base, Collection<OpenApiFragment> fragments) {
        try {
            ObjectNode doc = (ObjectNode) MAPPER.readTree(base);
            ObjectNode paths = doc.withObject("/paths");
            ObjectNode schemas = doc.withObject("/components").withObject("/schemas");
            for (OpenApiFragment f : fragments) {
                JsonNode frag = MAPPER.readTree(f.json());
                copy(frag.path("paths"), paths);
                copy(frag.path("components").path("schemas"), schemas);
            }
            return doc;
        } catch (IOException e) {
            throw new UncheckedIOException("invalid OpenAPI fragment", e);
        }
    }

    private static void copy(JsonNode from, ObjectNode to) {
        for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            to.set(e.getKey(), e.getValue());
        }
    }

    static String resource(String name) {
        return OpenApiFragment.read(OpenApiResource.class, name);
    }
}
