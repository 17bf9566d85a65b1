package de.sid.verbund.billing.rest.internal;

import de.sid.verbund.billing.UsageRecord;
import de.sid.verbund.billing.UsageService;
import de.sid.verbund.core.BillingPeriod;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.rest.RestApplication;
import de.sid.verbund.security.AccessControl;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /api/usage?authority=&from=&to=}: the usage ledger's records overlapping {@code [from, to)},
 * paged. {@code from} and {@code to} are ISO-8601 instants ({@code 2026-11-01T00:00:00Z}), dates
 * ({@code 2026-11-01}: midnight Europe/Berlin) or months ({@code 2026-11}: its first instant);
 * without them the current Europe/Berlin month. An authority's users see only their own usage
 * ({@code billing:read:<authority>}; asking for another authority is refused, 403, audited).
 */
@Component(service = UsageResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@Path("/usage")
@Produces(MediaType.APPLICATION_JSON)
public class UsageResource {
    private final UsageService usage;
    private final BillingAccess access;

    @Activate
    public UsageResource(@Reference UsageService usage, @Reference AccessControl access) {
        this.usage = usage;
        this.access = new BillingAccess(access);
    }

    @GET
    public Page<UsageRecord> list(@QueryParam("authority") String authority, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        String scope = access.listScope(authority, "usage");
        BillingPeriod current = BillingPeriod.containing(Instant.now());
        Instant start = from == null || from.isBlank() ? current.start() : instant("from", from);
        Instant end = to == null || to.isBlank() ? current.end() : instant("to", to);
        return usage.usage(scope, start, end, Page.limit(limit), cursor);
    }

    /** @throws ProblemException BAD_REQUEST when the text is no instant, date or month */
    static Instant instant(String name, String text) {
        String t = text.trim();
        try {
            if (t.length() == 7) {
                return new BillingPeriod(YearMonth.parse(t)).start();
            }
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay(BillingPeriod.ZONE).toInstant();
            }
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(name + " must be an instant (2026-11-01T00:00:00Z), a date (2026-11-01) "
                    + "or a month (2026-11), was '" + (t.length() > 40 ? t.substring(0, 40) + "…" : t) + "'");
        }
    }
}
