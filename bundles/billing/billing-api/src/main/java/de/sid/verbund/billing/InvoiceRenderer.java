package de.sid.verbund.billing;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Renders a billing document in one format. Implementations are registered as OSGi services with
 * the property {@value #MEDIA_TYPE} (e.g. {@code text/csv}, {@code application/xml} for XRechnung
 * UBL 2.1, {@code application/pdf}); the REST layer picks one by the request's {@code Accept}.
 */
public interface InvoiceRenderer {
    /** Service property naming the media type a renderer produces. */
    String MEDIA_TYPE = "verbund.media.type";

    /** @return the media type produced, e.g. {@code application/pdf} */
    String mediaType();

    /**
     * @param invoice a FINAL document (renderers may also render drafts, watermarked or marked as such)
     * @param out where to write; not closed
     * @throws IllegalArgumentException when the document cannot be expressed in the format (e.g.
     *         XRechnung for a cost allocation, or a buyer without Leitweg-ID)
     * @throws IOException when writing fails
     */
    void render(Invoice invoice, OutputStream out) throws IOException;
}
