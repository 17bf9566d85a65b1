package de.sid.verbund.rest.core.internal;

import de.sid.verbund.core.rest.RestApplication;
import javax.ws.rs.core.Application;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationBase;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

/** The Verbund JAX-RS application at {@code /api}; resources and extensions join it by name. */
@Component(service = Application.class)
@JaxrsName(RestApplication.NAME)
@JaxrsApplicationBase(RestApplication.BASE)
public class VerbundApplication extends Application {
}
