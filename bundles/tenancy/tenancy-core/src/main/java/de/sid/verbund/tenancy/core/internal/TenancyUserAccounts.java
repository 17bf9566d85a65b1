package de.sid.verbund.tenancy.core.internal;

import de.sid.verbund.security.UserService;
import de.sid.verbund.tenancy.AuthorityService;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What tenancy needs from the security area's user accounts, in a component of its own: it runs
 * once both the tenancy component and the user service are there. (Were the reference in
 * {@link TenancyComponent}, security → hierarchy → tenancy → security would be a service cycle
 * that the DS runtime leaves unbound.) It
 * <ul>
 * <li>lets tenancy refuse to delete an authority that still has users;</li>
 * <li>seeds the demo tenants and their users ({@link DemoTenants}) on the first start of an empty
 * database when security's {@code demo.users} is on, after security has seeded its own demo users
 * (checked every 2 s for up to 2 minutes).</li>
 * </ul>
 */
@Component(immediate = true)
public class TenancyUserAccounts {
    private static final Logger LOG = LoggerFactory.getLogger(TenancyUserAccounts.class);
    private static final int DEMO_ATTEMPTS = 60;
    private final AuthorityService authorities;
    private final UserService users;
    private final boolean demo;
    private final ScheduledExecutorService seeder;
    private int attempts;
    private volatile String demoOutcome;

    /**
     * @param usersProps the user service's properties: the security component's configuration, with
     *        {@code demo.users} (absent means its default, on)
     */
    @Activate
    public TenancyUserAccounts(@Reference AuthorityService authorities, @Reference UserService users,
            @Reference(service = UserService.class, name = "usersProps") Map<String, Object> usersProps) {
        this.authorities = authorities;
        this.users = users;
        this.demo = !"false".equalsIgnoreCase(String.valueOf(usersProps.get("demo.users")));
        if (authorities instanceof TenancyComponent t) {
            t.setUserCheck(id -> !users.list(id, 1, null).items().isEmpty());
        }
        seeder = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "verbund-tenancy-demo");
            t.setDaemon(true);
            return t;
        });
        if (demo) {
            seeder.execute(this::seedDemo);
        }
    }

    @Deactivate
    public void deactivate() {
        seeder.shutdownNow();
        if (authorities instanceof TenancyComponent t) {
            t.setUserCheck(null);
        }
    }

    private void seedDemo() {
        try {
            // security seeds its own demo users (admin, …) on its own thread when its user table is
            // empty: creating users before it did would keep it from seeding
            if (authorities instanceof TenancyComponent t && !t.isReady()) {
                throw new IllegalStateException("the tenancy schema is not applied yet");
            }
            if (users.list(null, 1, null).items().isEmpty()) {
                throw new IllegalStateException("the security area has not seeded its demo users yet");
            }
        } catch (RuntimeException e) {
            if (++attempts < DEMO_ATTEMPTS) {
                seeder.schedule(this::seedDemo, 2, TimeUnit.SECONDS);
            } else {
                LOG.warn("demo tenants not created: {}", e.getMessage());
                demoOutcome = "not created: " + e.getMessage();
            }
            return;
        }
        try {
            boolean seeded = DemoTenants.seed(authorities, users);
            demoOutcome = seeded ? "created" : "not needed: the database has authorities or demo users";
            if (seeded) {
                LOG.warn("created the demo tenants ({} with {} and {}) and their users {} (password = user name): "
                        + "delete them, and set demo.users=false in etc/de.sid.verbund.security.cfg for production",
                        DemoTenants.MINISTRY, DemoTenants.TAX, DemoTenants.STATISTICS,
                        DemoTenants.USERS.stream().map(x -> x[0]).toList());
            }
        } catch (RuntimeException e) {
            LOG.warn("demo tenants not created: {}", e.getMessage());
            demoOutcome = "not created: " + e.getMessage();
        }
    }

    /** @return what became of the demo tenants ({@code created}, {@code not needed: …}, {@code not created: …}), {@code null} while undecided or when demo users are off */
    public String demoOutcome() {
        return demoOutcome;
    }
}
