package de.sid.verbund.rest.core.internal;

import de.sid.verbund.core.Problem;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.rest.RestApplication;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;
import javax.ws.rs.ext.ExceptionMapper;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one exception mapper: every error leaves as an {@code application/problem+json} body. */
@Component(service = ExceptionMapper.class)
@JaxrsExtension
@JaxrsName("verbund.problems")
@JaxrsApplicationSelect(RestApplication.SELECT)
public class ProblemMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemMapper.class);

    @Context
    UriInfo uriInfo;

    @Override
    public Response toResponse(Throwable t) {
        String path = RestApplication.BASE + "/" + (uriInfo == null ? "" : uriInfo.getPath().replaceFirst("^/+", ""));
        Problem p = Problems.from(t, path);
        if (p.status() >= 500 && !(t instanceof ProblemException e && e.type().status() == 503)) {
            LOG.error("request {} failed", path, t);
        } else if (p.status() == 503) {
            // a known state (database away, no cluster quorum), already logged where it is handled
            LOG.info("request {} refused: {}", path, p.detail());
        } else {
            LOG.debug("request {} refused: {}", path, p.detail());
        }
        return Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(p).build();
    }
}
