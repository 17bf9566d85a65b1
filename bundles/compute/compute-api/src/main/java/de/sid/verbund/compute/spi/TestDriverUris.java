package de.sid.verbund.compute.spi;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * What a libvirt test-driver URI may name. libvirt's test driver reads the file of a
 * {@code test:///path} URI in the Verbund process, with its rights, and its parse errors quote
 * the file's lines: so a host URI could make the node read any file (e.g. {@code /etc/shadow})
 * and log its first line. Only {@code test:///default} and files that are test-driver node
 * documents (an XML file whose root element is {@code <node>}, as in libvirt's
 * {@code docs/testnode.xml}) are accepted; nothing of a refused file is echoed.
 */
public final class TestDriverUris {
    private TestDriverUris() {
    }

    /**
     * @param uri a host URI
     * @return why the URI may not be used, or empty when it is no test-driver URI, is
     *         {@code test:///default}, or names a readable test-driver node file
     */
    public static Optional<String> problem(String uri) {
        if (uri == null || !uri.startsWith("test:")) {
            return Optional.empty();
        }
        if (uri.equals("test:///default")) {
            return Optional.empty();
        }
        String refused = "a test-driver URI must be test:///default or name a libvirt test-driver node file "
                + "(an .xml file whose root element is <node>), e.g. test:///opt/verbund/etc/hosts/demo-small.xml";
        Path file;
        try {
            URI u = URI.create(uri);
            if (u.getPath() == null || u.getQuery() != null || u.getFragment() != null) {
                return Optional.of(refused);
            }
            file = Path.of(u.getPath());
        } catch (IllegalArgumentException e) {
            return Optional.of(refused);
        }
        if (!file.isAbsolute() || !file.getFileName().toString().endsWith(".xml") || !Files.isRegularFile(file)) {
            return Optional.of(refused);
        }
        // the JDK's own StAX implementation (in Karaf the factory look-up may find another one), with
        // the two properties every implementation knows: no DTD, no external entities
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        try (InputStream in = Files.newInputStream(file)) {
            XMLStreamReader r = f.createXMLStreamReader(in);
            try {
                r.nextTag();
                return "node".equals(r.getLocalName()) ? Optional.empty() : Optional.of(refused);
            } finally {
                r.close();
            }
        } catch (IOException | XMLStreamException | RuntimeException e) {
            return Optional.of(refused);
        }
    }
}
