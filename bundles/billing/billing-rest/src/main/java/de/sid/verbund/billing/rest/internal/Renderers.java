package de.sid.verbund.billing.rest.internal;

import de.sid.verbund.billing.Invoice;
import de.sid.verbund.billing.InvoiceRenderer;
import de.sid.verbund.billing.rest.internal.Views.InvoiceView;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The {@link InvoiceRenderer} services by media type, and the choice among them and JSON by a
 * request's {@code Accept} (in its order of preference; JSON for {@code *}{@code /*} or no header).
 */
@Component(service = Renderers.class)
public class Renderers {
    private final Map<String, InvoiceRenderer> byType = new ConcurrentSkipListMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addRenderer(InvoiceRenderer renderer) {
        byType.put(renderer.mediaType(), renderer);
    }

    void removeRenderer(InvoiceRenderer renderer) {
        byType.remove(renderer.mediaType(), renderer);
    }

    /**
     * @param acceptable the request's acceptable media types, most preferred first
     * @return JSON ({@link InvoiceView}) or the rendered bytes with their type and a file name
     * @throws ProblemException NOT_ACCEPTABLE (406) when no acceptable type is offered, or when the
     *         document cannot be expressed in the chosen one (e.g. XRechnung for a cost allocation)
     */
    Response represent(Invoice invoice, List<MediaType> acceptable) {
        for (MediaType wanted : acceptable) {
            if (wanted.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return Response.ok(InvoiceView.of(invoice), MediaType.APPLICATION_JSON_TYPE).build();
            }
            for (InvoiceRenderer r : byType.values()) {
                MediaType offered = MediaType.valueOf(r.mediaType());
                if (wanted.isCompatible(offered)) {
                    return rendered(invoice, r, offered);
                }
            }
        }
        throw new ProblemException(ProblemType.NOT_ACCEPTABLE, "a document is available as " + offered());
    }

    private static Response rendered(Invoice invoice, InvoiceRenderer r, MediaType type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String name = invoice.number() != null ? invoice.number() : "entwurf-" + invoice.id();
        try {
            r.render(invoice, out);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.NOT_ACCEPTABLE, "document " + name + " cannot be given as "
                    + r.mediaType() + ": " + e.getMessage());
        } catch (IOException e) {
            throw new ProblemException(ProblemType.INTERNAL, "document " + name + ": rendering " + r.mediaType()
                    + " failed: " + e.getMessage(), List.of(), e);
        }
        MediaType sent = type.getType().equals("text") ? type.withCharset("UTF-8") : type;
        return Response.ok(out.toByteArray(), sent)
                .header("Content-Disposition", "attachment; filename=\"" + name + "." + extension(type) + "\"").build();
    }

    private static String extension(MediaType type) {
        return switch (type.getSubtype()) {
            case "csv" -> "csv";
            case "pdf" -> "pdf";
            case "xml" -> "xml";
            default -> "bin";
        };
    }

    /** @return the media types offered, e.g. {@code [application/json, application/pdf, …]} */
    List<String> offered() {
        List<String> all = new java.util.ArrayList<>();
        all.add(MediaType.APPLICATION_JSON);
        all.addAll(byType.keySet());
        return all;
    }
}
