package de.sid.verbund.billing.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import de.sid.verbund.billing.InvoiceKind;
import de.sid.verbund.billing.InvoiceState;
import de.sid.verbund.billing.NewUsage;
import de.sid.verbund.billing.UsageRecord;
import de.sid.verbund.billing.core.internal.RunningBillingCore;
import de.sid.verbund.billing.export.internal.CsvInvoiceRenderer;
import de.sid.verbund.billing.export.internal.PdfInvoiceRenderer;
import de.sid.verbund.billing.export.internal.XRechnungCheck;
import de.sid.verbund.billing.export.internal.XRechnungRenderer;
import de.sid.verbund.billing.rest.internal.PriceSheetsResource.NewPrice;
import de.sid.verbund.billing.rest.internal.PriceSheetsResource.NewSheet;
import de.sid.verbund.billing.rest.internal.Views.InvoiceView;
import de.sid.verbund.billing.rest.internal.Views.PriceSheetView;
import de.sid.verbund.billing.rest.internal.Views.RunView;
import de.sid.verbund.core.BillingPeriod;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.security.AccessControl;
import de.sid.verbund.testsupport.FakeAccess;
import de.sid.verbund.testsupport.OpenApiAssert;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The billing API over the real billing core on H2 and the real renderers: billing clerks run,
 * finalise and credit; an authority sees only its own usage and documents; another authority's
 * document answers 404 like an unknown one and the refusal is recorded (audited in production);
 * asking for another authority's list is 403.
 */
class BillingResourcesTest {
    static final String A = "a0000000-0000-4000-8000-00000000000a";
    static final String B = "b0000000-0000-4000-8000-00000000000b";
    static final String LEITWEG_ID = "04011000-1234512345-06";

    @TempDir
    Path dir;
    JdbcDatabase db;
    RunningBillingCore core;
    Renderers renderers;
    /** The previous Europe/Berlin month: over, so its documents can become FINAL. */
    BillingPeriod period;

    @BeforeEach
    void setUp() {
        db = new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir), "verbund", "", 4, 10_000);
        Authorities authorities = new Authorities();
        authorities.add(A, "Landesamt A", LEITWEG_ID);
        authorities.add(B, "Amt B", LEITWEG_ID);
        core = new RunningBillingCore(db, authorities);
        renderers = new Renderers();
        renderers.addRenderer(new CsvInvoiceRenderer());
        renderers.addRenderer(new XRechnungRenderer());
        renderers.addRenderer(new PdfInvoiceRenderer());
        period = new BillingPeriod(BillingPeriod.containing(Instant.now()).month().minusMonths(1));
    }

    @AfterEach
    void tearDown() {
        core.close();
        db.close();
    }

    private PriceSheetsResource sheets(AccessControl access) {
        return new PriceSheetsResource(core.billing, access);
    }

    private InvoicesResource invoices(AccessControl access) {
        return new InvoicesResource(core.invoices, access, renderers);
    }

    private CreditNotesResource creditNotes(AccessControl access) {
        return new CreditNotesResource(core.invoices, access, renderers);
    }

    private UsageResource usage(AccessControl access) {
        return new UsageResource(core.billing, access);
    }

    static HttpHeaders accept(String... types) {
        List<MediaType> list = Arrays.stream(types).map(MediaType::valueOf).toList();
        return (HttpHeaders) Proxy.newProxyInstance(HttpHeaders.class.getClassLoader(), new Class<?>[] {HttpHeaders.class},
                (p, m, args) -> m.getName().equals("getAcceptableMediaTypes") ? list : null);
    }

    static ProblemType problem(Runnable call) {
        return catchThrowableOfType(call::run, ProblemException.class).type();
    }

    /** 2 h of VM M per authority at 0.5000 EUR per VM-hour in the middle of the period: 1.00 EUR net each. */
    private void priceAndUsage() {
        Response created = sheets(FakeAccess.billingClerk()).create(new NewSheet("Preisblatt Test", period.start(), null,
                List.of(new NewPrice("VM_HOUR", "vm-m", new BigDecimal("0.5000")),
                        new NewPrice("QUANTITY", "cpu-seconds", new BigDecimal("0.0010")))));
        assertThat(created.getStatus()).isEqualTo(201);
        Instant mid = period.start().plusSeconds(10 * 24 * 3600);
        for (String authority : List.of(A, B)) {
            core.billing.record(new NewUsage(UUID.randomUUID().toString(), authority, "compute", "vm-" + authority.charAt(0),
                    "web-" + authority.charAt(0), "cpu-seconds", new BigDecimal("1000"), "SEC", mid, mid.plusSeconds(7200)));
        }
    }

    /** Clerk: run the period and finalise both drafts; returns A's and B's numbers. */
    private List<String> runAndFinalize() {
        priceAndUsage();
        InvoicesResource clerk = invoices(FakeAccess.billingClerk());
        RunView run = clerk.run(period.toString());
        assertThat(run.period()).isEqualTo(period.toString());
        String a = null;
        String b = null;
        for (InvoiceView draft : clerk.list(null, period.toString(), "invoice", "draft", null, null).items()) {
            InvoiceView fin = clerk.finalizeDocument(draft.id());
            assertThat(fin.state()).isEqualTo(InvoiceState.FINAL);
            if (fin.authorityId().equals(A)) {
                a = fin.number();
            } else if (fin.authorityId().equals(B)) {
                b = fin.number();
            }
        }
        assertThat(a).isNotNull();
        assertThat(b).isNotNull();
        return List.of(a, b);
    }

    @Test
    void clerkRunsFinalizesAndGetsEveryFormat() throws Exception {
        List<String> numbers = runAndFinalize();
        InvoicesResource clerk = invoices(FakeAccess.billingClerk());

        Response json = clerk.get(numbers.get(0), accept("application/json"));
        InvoiceView view = (InvoiceView) json.getEntity();
        assertThat(view.authorityId()).isEqualTo(A);
        assertThat(view.kind()).isEqualTo(InvoiceKind.INVOICE);
        // 1000 cpu-seconds × 0.0010 = 1.00 net, 19 % VAT 0.19, gross 1.19
        assertThat(view.net()).isEqualByComparingTo("1.00");
        assertThat(view.vat()).isEqualByComparingTo("0.19");
        assertThat(view.gross()).isEqualByComparingTo("1.19");
        assertThat(view.buyerReference()).isEqualTo(LEITWEG_ID);

        Response csv = clerk.get(numbers.get(0), accept("text/csv"));
        assertThat(csv.getMediaType().toString()).isEqualTo("text/csv;charset=UTF-8");
        assertThat(csv.getHeaderString("Content-Disposition")).isEqualTo("attachment; filename=\"" + numbers.get(0) + ".csv\"");
        assertThat(new String((byte[]) csv.getEntity(), StandardCharsets.UTF_8)).startsWith("document_number,")
                .contains(numbers.get(0) + ",INVOICE," + period + "," + A);

        // the XRechnung of a document the real core rated and finalised passes the UBL 2.1 schema and
        // the XRechnung 3.0.2 + EN 16931 rules
        byte[] xml = (byte[]) clerk.get(numbers.get(0), accept("application/xml")).getEntity();
        XRechnungCheck.schemaValid(xml, "UBL-Invoice-2.1.xsd");
        XRechnungCheck.assertValid(xml, false);
        assertThat(new String(xml, StandardCharsets.UTF_8))
                .contains("<cbc:BuyerReference>" + LEITWEG_ID + "</cbc:BuyerReference>")
                .contains("<cbc:PayableAmount currencyID=\"EUR\">1.19</cbc:PayableAmount>");

        // preference order of Accept decides; PDF when asked first
        Response pdf = clerk.get(numbers.get(0), accept("application/pdf", "application/json"));
        assertThat(pdf.getMediaType()).isEqualTo(MediaType.valueOf("application/pdf"));
        assertThat(new String((byte[]) pdf.getEntity(), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        // no header or */*: JSON
        assertThat(clerk.get(numbers.get(0), accept("*/*")).getEntity()).isInstanceOf(InvoiceView.class);
        assertThat(problem(() -> clerk.get(numbers.get(0), accept("image/png")))).isEqualTo(ProblemType.NOT_ACCEPTABLE);
        assertThat(problem(() -> clerk.get("2026-999999", accept("application/json")))).isEqualTo(ProblemType.NOT_FOUND);
    }

    @Test
    void authoritySeesOnlyItsOwnDocumentsAndAForeignOneIsUnknown() {
        List<String> numbers = runAndFinalize();
        FakeAccess userA = FakeAccess.authorityUser(A);
        InvoicesResource asA = invoices(userA);

        Page<InvoiceView> mine = asA.list(null, null, null, null, null, null);
        assertThat(mine.items()).isNotEmpty().allSatisfy(i -> assertThat(i.authorityId()).isEqualTo(A));
        assertThat(asA.get(numbers.get(0), accept("application/json")).getEntity()).isInstanceOf(InvoiceView.class);

        // B's invoice: 404 like an unknown number, in every format, and the refusal is recorded
        assertThat(problem(() -> asA.get(numbers.get(1), accept("application/json")))).isEqualTo(ProblemType.NOT_FOUND);
        assertThat(problem(() -> asA.get(numbers.get(1), accept("application/pdf")))).isEqualTo(ProblemType.NOT_FOUND);
        assertThat(userA.refused).contains("billing:read:" + B + " document " + numbers.get(1));
        // the same words as for a number that does not exist: nothing tells a foreign one apart
        String foreign = catchThrowableOfType(() -> asA.get(numbers.get(1), accept("application/json")),
                ProblemException.class).getMessage();
        String unknown = catchThrowableOfType(() -> asA.get("2026-999999", accept("application/json")),
                ProblemException.class).getMessage();
        assertThat(foreign).isEqualTo(unknown.replace("2026-999999", numbers.get(1)));
        // asking for B's list: 403
        assertThat(problem(() -> asA.list(B, null, null, null, null, null))).isEqualTo(ProblemType.FORBIDDEN);
        assertThat(userA.refused).contains("billing:read:" + B + " invoices");
        // no runs, no finalising, no credit notes for authority users, not even on their own documents
        assertThat(problem(() -> asA.run(period.toString()))).isEqualTo(ProblemType.FORBIDDEN);
        assertThat(problem(() -> asA.finalizeDocument(numbers.get(0)))).isEqualTo(ProblemType.FORBIDDEN);
        assertThat(problem(() -> creditNotes(userA).create(new CreditNotesResource.NewCreditNote(numbers.get(0), "test",
                List.of())))).isEqualTo(ProblemType.FORBIDDEN);
        // the viewer of B sees B's, not A's
        InvoicesResource asViewerB = invoices(FakeAccess.authorityViewer(B));
        assertThat(asViewerB.get(numbers.get(1), accept("text/csv")).getStatus()).isEqualTo(200);
        assertThat(problem(() -> asViewerB.get(numbers.get(0), accept("text/csv")))).isEqualTo(ProblemType.NOT_FOUND);
        // monitoring staff hold no billing permission at all
        assertThat(problem(() -> invoices(FakeAccess.monitoring()).list(null, null, null, null, null, null)))
                .isEqualTo(ProblemType.FORBIDDEN);
    }

    @Test
    void usageIsPagedAndLimitedToTheOwnAuthority() {
        priceAndUsage();
        String from = period.toString();
        String to = period.next().toString();
        Page<UsageRecord> all = usage(FakeAccess.billingClerk()).list(null, from, to, null, null);
        assertThat(all.items()).extracting(UsageRecord::authorityId).containsExactlyInAnyOrder(A, B);
        Page<UsageRecord> first = usage(FakeAccess.billingClerk()).list(null, from, to, "1", null);
        Page<UsageRecord> second = usage(FakeAccess.billingClerk()).list(null, from, to, "1", first.nextCursor());
        assertThat(first.items()).hasSize(1);
        assertThat(second.items()).hasSize(1).doesNotContainAnyElementsOf(first.items());

        FakeAccess userB = FakeAccess.authorityUser(B);
        Page<UsageRecord> mine = usage(userB).list(null, from, to, null, null);
        assertThat(mine.items()).singleElement().satisfies(u -> {
            assertThat(u.authorityId()).isEqualTo(B);
            assertThat(u.quantity()).isEqualByComparingTo("1000");
        });
        assertThat(problem(() -> usage(userB).list(A, from, to, null, null))).isEqualTo(ProblemType.FORBIDDEN);
        assertThat(userB.refused).contains("billing:read:" + A + " usage");
        assertThat(problem(() -> usage(userB).list(null, "last tuesday", to, null, null))).isEqualTo(ProblemType.BAD_REQUEST);
    }

    @Test
    void priceSheetsAreForBillingStaff() {
        priceAndUsage();
        Page<PriceSheetView> list = sheets(FakeAccess.billingClerk()).list(null, null);
        assertThat(list.items()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("Preisblatt Test");
            assertThat(s.prices()).extracting(Views.PriceView::metric, Views.PriceView::qualifier, Views.PriceView::unit)
                    .contains(org.assertj.core.groups.Tuple.tuple("VM_HOUR", "vm-m", "HUR"));
        });
        String id = list.items().get(0).id();
        assertThat(sheets(FakeAccess.billingClerk()).get(id).validFrom()).isEqualTo(period.start());

        FakeAccess user = FakeAccess.authorityAdmin(A);
        assertThat(problem(() -> sheets(user).list(null, null))).isEqualTo(ProblemType.FORBIDDEN);
        assertThat(problem(() -> sheets(user).create(new NewSheet("x", period.start(), null,
                List.of(new NewPrice("VCPU_HOUR", null, BigDecimal.ONE)))))).isEqualTo(ProblemType.FORBIDDEN);
        assertThat(problem(() -> sheets(FakeAccess.billingClerk()).create(new NewSheet("bad", period.next().start(), null,
                List.of(new NewPrice("PER_BANANA", null, BigDecimal.ONE)))))).isEqualTo(ProblemType.BAD_REQUEST);
        assertThat(problem(() -> sheets(FakeAccess.billingClerk()).get(UUID.randomUUID().toString())))
                .isEqualTo(ProblemType.NOT_FOUND);
    }

    @Test
    void creditNotesCorrectFinalInvoicesAndStayWithTheirAuthority() {
        List<String> numbers = runAndFinalize();
        CreditNotesResource clerk = creditNotes(FakeAccess.billingClerk());
        Response created = clerk.create(new CreditNotesResource.NewCreditNote(numbers.get(0), "Ausfall", List.of()));
        assertThat(created.getStatus()).isEqualTo(201);
        InvoiceView draft = (InvoiceView) created.getEntity();
        assertThat(draft.kind()).isEqualTo(InvoiceKind.CREDIT_NOTE);
        assertThat(draft.precedingInvoiceNumber()).isEqualTo(numbers.get(0));
        InvoiceView fin = clerk.finalizeDocument(draft.id());

        Page<InvoiceView> ofA = creditNotes(FakeAccess.authorityUser(A)).list(null, null, null, null, null);
        assertThat(ofA.items()).extracting(InvoiceView::number).containsExactly(fin.number());
        byte[] xmlBytes = (byte[]) creditNotes(FakeAccess.authorityUser(A)).get(fin.number(), accept("application/xml"))
                .getEntity();
        XRechnungCheck.assertValid(xmlBytes, true);
        String xml = new String(xmlBytes, StandardCharsets.UTF_8);
        assertThat(xml).contains("<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>")
                .contains("<cbc:PayableAmount currencyID=\"EUR\">1.19</cbc:PayableAmount>");
        assertThat(creditNotes(FakeAccess.authorityUser(B)).list(null, null, null, null, null).items()).isEmpty();
        FakeAccess userB = FakeAccess.authorityUser(B);
        assertThat(problem(() -> creditNotes(userB).get(fin.number(), accept("application/json"))))
                .isEqualTo(ProblemType.NOT_FOUND);
        assertThat(userB.refused).contains("billing:read:" + A + " credit note " + fin.number());
        // an invoice number is no credit note
        assertThat(problem(() -> clerk.get(numbers.get(0), accept("application/json")))).isEqualTo(ProblemType.NOT_FOUND);
    }

    @Test
    void everyOperationIsDocumented() {
        OpenApiAssert.assertDocumented(new BillingApi().json(), PriceSheetsResource.class, UsageResource.class,
                InvoicesResource.class, CreditNotesResource.class);
    }
}
