package de.sid.verbund.alarms.rest.internal;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import de.sid.verbund.alarms.Alarm;
import de.sid.verbund.alarms.AlarmDetail;
import de.sid.verbund.alarms.AlarmFilter;
import de.sid.verbund.alarms.AlarmHistoryEntry;
import de.sid.verbund.alarms.AlarmService;
import de.sid.verbund.alarms.AlarmState;
import de.sid.verbund.alarms.Severity;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.rest.RestApplication;
import de.sid.verbund.security.AccessControl;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /api/alarms}: alarms of devices and hosts, for SID staff ({@code alarms:read|write:platform}:
 * monitoring staff, operators, admins). Authority users and billing clerks are refused (403).
 */
@Component(service = AlarmsResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@Path("/alarms")
@Produces(MediaType.APPLICATION_JSON)
public class AlarmsResource {
    static final String READ = "alarms:read:platform";
    static final String WRITE = "alarms:write:platform";

    private final AlarmService alarms;
    private final AccessControl access;

    @Activate
    public AlarmsResource(@Reference AlarmService alarms, @Reference AccessControl access) {
        this.alarms = alarms;
        this.access = access;
    }

    /** An alarm with its history, as one JSON object: the alarm's fields and {@code history}. */
    public record AlarmView(@JsonUnwrapped Alarm alarm, List<AlarmHistoryEntry> history) {
        static AlarmView of(AlarmDetail d) {
            return new AlarmView(d.alarm(), d.history());
        }
    }

    /** The body of an acknowledgement; optional. */
    public record Ack(String note) {
    }

    /** The body of a clear by hand; optional. */
    public record Clear(String reason) {
    }

    /**
     * Alarms, newest first.
     *
     * @param state comma-separated ACTIVE, ACKNOWLEDGED, CLEARED, or {@code open} (ACTIVE and ACKNOWLEDGED); default all
     * @param severity comma-separated severities (critical, major, minor, warning, indeterminate); default all
     * @param device the source's id or name
     * @param type the alarm type
     */
    @GET
    public Page<Alarm> list(@QueryParam("state") String state, @QueryParam("severity") String severity,
                            @QueryParam("device") String device, @QueryParam("type") String type,
                            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        access.check(READ, "alarms");
        AlarmFilter filter = new AlarmFilter(states(state), list(severity, "severity", Severity::parse, Severity.class),
                device, type);
        return alarms.alarms(filter, Page.limit(limit), cursor == null || cursor.isEmpty() ? null : cursor);
    }

    @GET
    @Path("/{id}")
    public AlarmView get(@PathParam("id") String id) {
        access.check(READ, "alarm " + id);
        return AlarmView.of(alarms.detail(id).orElseThrow(() -> ProblemException.notFound("no alarm " + id)));
    }

    @POST
    @Path("/{id}/ack")
    @Consumes(MediaType.APPLICATION_JSON)
    public Alarm acknowledge(@PathParam("id") String id, Ack body) {
        access.check(WRITE, "alarm " + id);
        return alarms.acknowledge(id, access.requireCaller().username(), body == null ? null : body.note());
    }

    @POST
    @Path("/{id}/clear")
    @Consumes(MediaType.APPLICATION_JSON)
    public Alarm clear(@PathParam("id") String id, Clear body) {
        access.check(WRITE, "alarm " + id);
        return alarms.clearAlarm(id, access.requireCaller().username(), body == null ? null : body.reason());
    }

    private static Set<AlarmState> states(String text) {
        if (text != null && text.trim().equalsIgnoreCase("open")) {
            return EnumSet.of(AlarmState.ACTIVE, AlarmState.ACKNOWLEDGED);
        }
        return list(text, "state", AlarmState::parse, AlarmState.class);
    }

    private static <E extends Enum<E>> Set<E> list(String text, String what, Function<String, E> parse, Class<E> type) {
        Set<E> out = EnumSet.noneOf(type);
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String part : text.split(",")) {
            try {
                out.add(parse.apply(part));
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest(what + ": " + e.getMessage());
            }
        }
        return out;
    }
}
