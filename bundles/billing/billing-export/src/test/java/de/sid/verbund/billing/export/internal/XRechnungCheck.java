package de.sid.verbund.billing.export.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.helger.commons.error.level.EErrorLevel;
import com.helger.commons.io.resource.inmemory.ReadableResourceByteArray;
import com.helger.phive.api.execute.ValidationExecutionManager;
import com.helger.phive.api.executorset.IValidationExecutorSet;
import com.helger.phive.api.executorset.ValidationExecutorSetRegistry;
import com.helger.phive.api.result.ValidationResultList;
import com.helger.phive.api.validity.IValidityDeterminator;
import com.helger.phive.en16931.EN16931Validation;
import com.helger.phive.xml.source.IValidationSourceXML;
import com.helger.phive.xml.source.ValidationSourceXML;
import com.helger.phive.xrechnung.XRechnungValidation;
import java.io.ByteArrayInputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.xml.sax.SAXException;

/**
 * Validation of XRechnung documents for tests (this module's and, through its test jar, the REST
 * module's): the official OASIS UBL 2.1 schemas (from ph-ubl21) with the JDK's validator, and phive's
 * XRechnung 3.0.2 executor set, which runs the UBL XSD, the CEN EN 16931 UBL Schematron and KoSIT's
 * XRechnung 3.0.2 Schematron.
 */
public final class XRechnungCheck {
    private static final ValidationExecutorSetRegistry<IValidationSourceXML> RULES = new ValidationExecutorSetRegistry<>();

    static {
        EN16931Validation.initEN16931(RULES);
        XRechnungValidation.initXRechnung(RULES);
    }

    private XRechnungCheck() {
    }

    /**
     * Validates against the UBL 2.1 schema. ph-ubl21 ships the OASIS schemas with the imports of the
     * CCTS, XML-DSig and XAdES schemas reduced to their namespaces (those come in their own ph-xsds
     * jars), so these are given to the schema factory first.
     *
     * @param schema {@code UBL-Invoice-2.1.xsd} or {@code UBL-CreditNote-2.1.xsd}
     * @throws SAXException naming the first violation
     */
    public static void schemaValid(byte[] xml, String schema) throws Exception {
        List<StreamSource> sources = new ArrayList<>();
        for (String xsd : List.of("/schemas/CCTS_CCT_SchemaModule.xsd", "/schemas/xmldsig-core-schema.xsd",
                "/schemas/XAdES01903v132-201601.xsd", "/schemas/XAdES01903v141-201601.xsd",
                "/external/schemas/ubl21/maindoc/" + schema)) {
            URL url = XRechnungCheck.class.getResource(xsd);
            assertThat(url).as("schema %s on the test class path", xsd).isNotNull();
            sources.add(new StreamSource(url.toExternalForm()));
        }
        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(sources.toArray(new StreamSource[0]))
                .newValidator().validate(new StreamSource(new ByteArrayInputStream(xml)));
    }

    /** Asserts the XRechnung 3.0.2 rules (XSD, EN 16931, XRechnung) report neither errors nor warnings. */
    public static void assertValid(byte[] xml, boolean creditNote) {
        assertThat(findings(xml, creditNote)).as("XRechnung 3.0.2 findings in%n%s", new String(xml, StandardCharsets.UTF_8))
                .isEmpty();
    }

    /** @return the rule findings of the XRechnung 3.0.2 validation, e.g. {@code "400 BR-DE-15 … @ /…"} */
    public static List<String> findings(byte[] xml, boolean creditNote) {
        IValidationExecutorSet<IValidationSourceXML> ves = RULES.getOfID(creditNote
                ? XRechnungValidation.VID_XRECHNUNG_UBL_CREDITNOTE_302 : XRechnungValidation.VID_XRECHNUNG_UBL_INVOICE_302);
        ValidationResultList results = ValidationExecutionManager.executeValidation(IValidityDeterminator.createDefault(),
                ves, ValidationSourceXML.create(new ReadableResourceByteArray("invoice.xml", xml)), Locale.GERMANY);
        List<String> findings = new ArrayList<>();
        // every rule finding (error or warning); Saxon's warnings about the rule XSLT itself carry no rule id
        results.forEachFlattened(e -> {
            if (e.getErrorID() != null || e.getErrorLevel().isGE(EErrorLevel.ERROR)) {
                findings.add(e.getErrorLevel().getNumericLevel() + " " + e.getErrorID() + " "
                        + e.getErrorText(Locale.GERMANY) + " @ " + e.getErrorFieldName());
            }
        });
        assertThat(results).as("validation layers run (XSD, EN 16931, XRechnung)").hasSizeGreaterThanOrEqualTo(3);
        return findings;
    }
}
