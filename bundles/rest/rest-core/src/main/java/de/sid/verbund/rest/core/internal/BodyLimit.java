package de.sid.verbund.rest.core.internal;

import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.core.rest.RestApplication;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

/**
 * Refuses request bodies over {@link RestApplication#MAX_BODY_BYTES} (1 MiB) with 413: at once
 * when {@code Content-Length} says so, and while reading for chunked bodies, before any of it is
 * used. Runs before authentication so an anonymous flood is not even parsed.
 */
@Component(service = ContainerRequestFilter.class)
@JaxrsExtension
@JaxrsName("verbund.body-limit")
@JaxrsApplicationSelect(RestApplication.SELECT)
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public class BodyLimit implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        int declared = request.getLength();
        if (declared > RestApplication.MAX_BODY_BYTES) {
            throw tooLarge(declared);
        }
        if (request.hasEntity()) {
            request.setEntityStream(new Bounded(request.getEntityStream(), RestApplication.MAX_BODY_BYTES));
        }
    }

    static ProblemException tooLarge(long bytes) {
        return new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "request body of " + (bytes < 0 ? "more than " + RestApplication.MAX_BODY_BYTES : bytes)
                + " bytes exceeds the limit of " + RestApplication.MAX_BODY_BYTES + " bytes (1 MiB)");
    }

    /** Counts bytes read and fails past the limit. */
    static final class Bounded extends FilterInputStream {
        private final long limit;
        private long count;

        Bounded(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        private void add(long n) {
            count += n;
            if (count > limit) {
                throw tooLarge(-1);
            }
        }
    }
}
