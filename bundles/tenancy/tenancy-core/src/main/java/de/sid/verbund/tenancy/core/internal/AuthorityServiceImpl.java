package de.sid.verbund.tenancy.core.internal;

import de.sid.verbund.core.Ids;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.persistence.Database;
import de.sid.verbund.tenancy.Authority;
import de.sid.verbund.tenancy.AuthorityKind;
import de.sid.verbund.tenancy.AuthorityService;
import de.sid.verbund.tenancy.BillingAddress;
import de.sid.verbund.tenancy.BillingMode;
import de.sid.verbund.tenancy.Budget;
import de.sid.verbund.tenancy.Contact;
import de.sid.verbund.tenancy.LeitwegId;
import de.sid.verbund.tenancy.NewAuthority;
import de.sid.verbund.tenancy.Quota;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@link AuthorityService} over the {@code tenancy} tables. Validation rules:
 * <ul>
 * <li>name 1–200 characters, unique among its siblings (CONFLICT);</li>
 * <li>a MINISTRY has no parent, an AUTHORITY's parent is a MINISTRY, a UNIT's parent is an
 * AUTHORITY or a UNIT (a parent of the wrong kind: CONFLICT; an unknown parent: BAD_REQUEST);</li>
 * <li>mode INVOICE needs a valid Leitweg-ID ({@link LeitwegId#isValid}, KoSIT format 2.0.2) and a
 * billing address (EN 16931 BG-8: street, post code, city, ISO 3166-1 alpha-2 country); a
 * Leitweg-ID given in mode INTERNAL must be valid too;</li>
 * <li>mode INTERNAL needs a cost centre and is never VAT-liable;</li>
 * <li>contacts have a role, a name and an e-mail address; quota parts are ≥ 0; a budget's limit
 * is ≥ 0 EUR with at most 2 decimals and its soft threshold 1..100 %.</li>
 * </ul>
 * Every BAD_REQUEST lists all problems of the input at once.
 */
final class AuthorityServiceImpl implements AuthorityService {
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private final Database db;
    private final Clock clock;
    private final Predicate<String> hasUsers;

    /**
     * @param hasUsers whether an authority still has user accounts (deleting it is then refused)
     */
    AuthorityServiceImpl(Database db, Clock clock, Predicate<String> hasUsers) {
        this.db = db;
        this.clock = clock;
        this.hasUsers = hasUsers;
    }

    @Override
    public Authority create(NewAuthority in) {
        List<String> errors = validate(in, true);
        if (in.kind() == AuthorityKind.MINISTRY && in.parentId() != null) {
            errors.add("parentId: a ministry has no parent");
        } else if (in.kind() != null && in.kind() != AuthorityKind.MINISTRY && blank(in.parentId())) {
            errors.add("parentId: required for kind " + in.kind());
        }
        throwIfAny(errors);
        return db.inTransaction(c -> {
            if (in.parentId() != null) {
                Authority parent = AuthorityStore.find(c, in.parentId()).orElseThrow(() -> new ProblemException(
                        ProblemType.BAD_REQUEST, "invalid authority", List.of("parentId: no authority " + in.parentId()), null));
                boolean fits = switch (in.kind()) {
                    case AUTHORITY -> parent.kind() == AuthorityKind.MINISTRY;
                    case UNIT -> parent.kind() == AuthorityKind.AUTHORITY || parent.kind() == AuthorityKind.UNIT;
                    case MINISTRY -> false;
                };
                if (!fits) {
                    throw ProblemException.conflict("a " + in.kind() + " cannot be placed under " + parent.kind() + " "
                            + parent.name() + " (ministry → authority → unit → unit …)");
                }
                refuseQuotaAboveParent(in.quota(), parent);
            }
            if (AuthorityStore.nameTaken(c, in.parentId(), in.name().strip(), null)) {
                throw ProblemException.conflict("an authority named " + in.name().strip() + " already exists at this level");
            }
            Authority a = build(Ids.newId(), in.kind(), in.parentId(), in, clock.instant().truncatedTo(ChronoUnit.MICROS));
            AuthorityStore.insert(c, a);
            return a;
        });
    }

    @Override
    public Authority update(String id, NewAuthority in) {
        List<String> errors = validate(in, false);
        throwIfAny(errors);
        return db.inTransaction(c -> {
            Authority old = AuthorityStore.find(c, id).orElseThrow(() -> ProblemException.notFound("no authority " + id));
            List<String> fixed = new ArrayList<>();
            if (in.kind() != null && in.kind() != old.kind()) {
                fixed.add("kind: stays " + old.kind() + " (create a new authority instead)");
            }
            if (in.parentId() != null && !in.parentId().equals(old.parentId())) {
                fixed.add("parentId: an authority cannot move in the hierarchy");
            }
            throwIfAny(fixed);
            if (AuthorityStore.nameTaken(c, old.parentId(), in.name().strip(), id)) {
                throw ProblemException.conflict("an authority named " + in.name().strip() + " already exists at this level");
            }
            if (old.parentId() != null) {
                refuseQuotaAboveParent(in.quota(), AuthorityStore.find(c, old.parentId()).orElseThrow());
            }
            Authority a = build(id, old.kind(), old.parentId(), in, old.createdAt());
            AuthorityStore.update(c, a);
            return a;
        });
    }

    @Override
    public void delete(String id) {
        db.inTransaction(c -> {
            Authority a = AuthorityStore.find(c, id).orElseThrow(() -> ProblemException.notFound("no authority " + id));
            if (AuthorityStore.hasChildren(c, id)) {
                throw ProblemException.conflict(a.name() + " still has units below it: delete them first");
            }
            if (QuotaStore.count(c, id) > 0) {
                throw ProblemException.conflict(a.name() + " still holds quota reservations (orders or running services)");
            }
            if (hasUsers.test(id)) {
                throw ProblemException.conflict(a.name() + " still has user accounts: delete or move them first");
            }
            AuthorityStore.delete(c, id);
            return null;
        });
    }

    @Override
    public Optional<Authority> find(String id) {
        return db.inTransaction(c -> AuthorityStore.find(c, id));
    }

    @Override
    public List<Authority> list() {
        return db.inTransaction(AuthorityStore::list);
    }

    @Override
    public List<String> ancestors(String id) {
        return db.inTransaction(c -> AuthorityStore.ancestors(c, id));
    }

    @Override
    public List<String> descendants(String id) {
        return db.inTransaction(c -> AuthorityStore.descendants(c, id));
    }

    /**
     * A unit's own limit may not be larger than its parent's (the parent's limit covers the whole
     * subtree, so a larger one would promise what can never be reserved).
     *
     * @throws ProblemException CONFLICT naming each part and both figures
     */
    private static void refuseQuotaAboveParent(Quota quota, Authority parent) {
        if (quota == null) {
            return;
        }
        Quota p = parent.quota();
        List<String> over = new ArrayList<>();
        above(over, "vcpu", quota.vcpu(), p.vcpu(), parent);
        above(over, "ramMib", quota.ramMib(), p.ramMib(), parent);
        above(over, "diskGib", quota.diskGib(), p.diskGib(), parent);
        above(over, "vms", quota.vms(), p.vms(), parent);
        if (!over.isEmpty()) {
            throw new ProblemException(ProblemType.CONFLICT, "quota larger than the parent's: " + String.join("; ", over), over,
                    null);
        }
    }

    private static void above(List<String> over, String part, Number own, Number parents, Authority parent) {
        if (own != null && parents != null && own.longValue() > parents.longValue()) {
            over.add("quota." + part + " " + own + " > " + parents + " of " + parent.name());
        }
    }

    private static Authority build(String id, AuthorityKind kind, String parentId, NewAuthority in, java.time.Instant createdAt) {
        BillingAddress ad = in.billingAddress();
        BillingAddress address = ad == null ? null : new BillingAddress(strip(ad.line1()), strip(ad.line2()), strip(ad.postalCode()),
                strip(ad.city()), strip(ad.countryCode()));
        List<Contact> contacts = in.contacts() == null ? List.of() : in.contacts().stream()
                .map(k -> new Contact(k.role().strip(), k.name().strip(), k.email().strip(), strip(k.phone()))).toList();
        return new Authority(id, in.name().strip(), kind, parentId, strip(in.costCentre()),
                in.leitwegId() == null ? null : in.leitwegId().strip().toUpperCase(java.util.Locale.ROOT), address,
                in.billingMode(), in.vatLiable(), contacts, in.quota() == null ? Quota.UNLIMITED : in.quota(),
                budget(in.budget()), createdAt);
    }

    /** @return the budget with its limit in cents (scale 2, as stored), {@link Budget#NONE} for none */
    private static Budget budget(Budget b) {
        if (b == null) {
            return Budget.NONE;
        }
        return new Budget(b.monthlyEur() == null ? null : b.monthlyEur().setScale(2, java.math.RoundingMode.UNNECESSARY),
                b.softThresholdPercent());
    }

    /**
     * @param creating whether the authority is new (then its kind is required; an update keeps it)
     * @return every problem of the input that needs no database, in field order
     */
    static List<String> validate(NewAuthority in, boolean creating) {
        List<String> e = new ArrayList<>();
        if (blank(in.name())) {
            e.add("name: required");
        } else if (in.name().strip().length() > 200) {
            e.add("name: at most 200 characters");
        }
        if (creating && in.kind() == null) {
            e.add("kind: required (MINISTRY, AUTHORITY or UNIT)");
        }
        if (in.costCentre() != null && in.costCentre().strip().length() > 64) {
            e.add("costCentre: at most 64 characters");
        }
        if (in.billingMode() == null) {
            e.add("billingMode: required (INVOICE or INTERNAL)");
        } else if (in.billingMode() == BillingMode.INVOICE) {
            if (blank(in.leitwegId())) {
                e.add("leitwegId: required in billing mode INVOICE");
            }
            if (in.billingAddress() == null) {
                e.add("billingAddress: required in billing mode INVOICE");
            }
        } else {
            if (blank(in.costCentre())) {
                e.add("costCentre: required in billing mode INTERNAL");
            }
            if (in.vatLiable()) {
                e.add("vatLiable: must be false in billing mode INTERNAL (internal cost allocation carries no VAT)");
            }
        }
        if (!blank(in.leitwegId()) && !LeitwegId.isValid(in.leitwegId().strip())) {
            e.add("leitwegId: " + in.leitwegId() + " is not a valid Leitweg-ID (coarse address 2-12 digits, optional fine "
                    + "address up to 30 letters or digits, 2 check digits MOD 97-10, e.g. 04011000-1234512345-06)");
        }
        BillingAddress ad = in.billingAddress();
        if (ad != null) {
            if (blank(ad.line1())) {
                e.add("billingAddress.line1: required");
            }
            if (blank(ad.postalCode())) {
                e.add("billingAddress.postalCode: required");
            }
            if (blank(ad.city())) {
                e.add("billingAddress.city: required");
            }
            if (ad.countryCode() == null || !COUNTRY.matcher(ad.countryCode().strip()).matches()) {
                e.add("billingAddress.countryCode: ISO 3166-1 alpha-2 code required, e.g. DE");
            }
        }
        List<Contact> contacts = in.contacts() == null ? List.of() : in.contacts();
        for (int i = 0; i < contacts.size(); i++) {
            Contact k = contacts.get(i);
            if (k == null) {
                e.add("contacts[" + i + "]: must not be null");
                continue;
            }
            if (blank(k.role())) {
                e.add("contacts[" + i + "].role: required, e.g. billing or technical");
            }
            if (blank(k.name())) {
                e.add("contacts[" + i + "].name: required");
            }
            if (k.email() == null || !EMAIL.matcher(k.email().strip()).matches()) {
                e.add("contacts[" + i + "].email: an e-mail address required");
            }
        }
        Quota q = in.quota();
        if (q != null) {
            if (q.vcpu() != null && q.vcpu() < 0) {
                e.add("quota.vcpu: must be ≥ 0");
            }
            if (q.ramMib() != null && q.ramMib() < 0) {
                e.add("quota.ramMib: must be ≥ 0");
            }
            if (q.diskGib() != null && q.diskGib() < 0) {
                e.add("quota.diskGib: must be ≥ 0");
            }
            if (q.vms() != null && q.vms() < 0) {
                e.add("quota.vms: must be ≥ 0");
            }
        }
        Budget b = in.budget();
        if (b != null) {
            BigDecimal m = b.monthlyEur();
            if (m != null && (m.signum() < 0 || m.stripTrailingZeros().scale() > 2)) {
                e.add("budget.monthlyEur: must be ≥ 0 EUR with at most 2 decimals");
            }
            if (b.softThresholdPercent() < 1 || b.softThresholdPercent() > 100) {
                e.add("budget.softThresholdPercent: must be 1..100");
            }
        }
        return e;
    }

    private static void throwIfAny(List<String> errors) {
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "invalid authority: " + String.join("; ", errors), errors, null);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String strip(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
