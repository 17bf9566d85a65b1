package de.sid.verbund.tenancy.core.internal;

import de.sid.verbund.security.TenantHierarchy;
import de.sid.verbund.tenancy.AuthorityService;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The authority hierarchy for the security area: permissions of oversight (users of an authority
 * read what is below it) and the check that a user's authority exists.
 */
@Component(service = TenantHierarchy.class)
public class AuthorityHierarchy implements TenantHierarchy {
    private final AuthorityService authorities;

    @Activate
    public AuthorityHierarchy(@Reference AuthorityService authorities) {
        this.authorities = authorities;
    }

    @Override
    public Set<String> descendants(String authorityId) {
        return Set.copyOf(authorities.descendants(authorityId));
    }

    @Override
    public boolean exists(String authorityId) {
        return authorities.find(authorityId).isPresent();
    }
}
