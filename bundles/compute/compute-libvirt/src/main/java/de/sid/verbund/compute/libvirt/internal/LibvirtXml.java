package de.sid.verbund.compute.libvirt.internal;

import de.sid.verbund.compute.spi.DomainSpec;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * The libvirt XML this provider writes and reads, built and parsed with the JDK's DOM (never
 * by string concatenation, so names and paths are always escaped).
 */
final class LibvirtXml {
    private static final DocumentBuilderFactory FACTORY = newFactory();
    /**
     * A builder per thread, reset before each use: a builder is not thread-safe, and making one
     * sets up a whole parser configuration (about a tenth of a define's cost when made per call).
     */
    private static final ThreadLocal<DocumentBuilder> BUILDER = ThreadLocal.withInitial(() -> {
        try {
            return FACTORY.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    });

    /**
     * A serialising transformer per thread, set up once: looking up the {@link TransformerFactory}
     * (a service-loader search through the class path, slow in OSGi) and making a transformer
     * per document was about a third of a define's CPU. A transformer is not thread-safe; its
     * output properties stay as set here, and the identity transform keeps no state between
     * documents.
     */
    private static final ThreadLocal<Transformer> TRANSFORMER = ThreadLocal.withInitial(LibvirtXml::newTransformer);

    private LibvirtXml() {
    }

    /** Where a domain's system disk lives. */
    record DiskSource(String pool, String volume, String file) {
    }

    // ---- writing

    /**
     * The domain definition for a spec: hvm guest with ACPI (so that a shutdown request reaches
     * the guest), a virtio qcow2 disk on the volume and a virtio NIC on the network.
     *
     * @param mac the NIC's MAC address to keep on redefinition, or {@code null} to let libvirt pick one
     */
    static String domain(DomainSpec spec, String uuid, String domainType, String pool, String volume, String mac) {
        Document doc = newDocument();
        Element domain = doc.createElement("domain");
        doc.appendChild(domain);
        domain.setAttribute("type", domainType);
        text(domain, "name", spec.name());
        text(domain, "uuid", uuid);
        text(domain, "memory", Long.toString(spec.ramMib() * 1024)).setAttribute("unit", "KiB");
        text(domain, "currentMemory", Long.toString(spec.ramMib() * 1024)).setAttribute("unit", "KiB");
        text(domain, "vcpu", Integer.toString(spec.vcpu())).setAttribute("placement", "static");
        Element os = child(domain, "os");
        text(os, "type", "hvm");
        child(os, "boot").setAttribute("dev", "hd");
        Element features = child(domain, "features");
        child(features, "acpi");
        child(features, "apic");
        text(domain, "on_poweroff", "destroy");
        text(domain, "on_reboot", "restart");
        text(domain, "on_crash", "destroy");
        Element devices = child(domain, "devices");
        Element disk = child(devices, "disk");
        disk.setAttribute("type", "volume");
        disk.setAttribute("device", "disk");
        Element driver = child(disk, "driver");
        driver.setAttribute("name", "qemu");
        driver.setAttribute("type", "qcow2");
        Element source = child(disk, "source");
        source.setAttribute("pool", pool);
        source.setAttribute("volume", volume);
        Element target = child(disk, "target");
        target.setAttribute("dev", "vda");
        target.setAttribute("bus", "virtio");
        Element nic = child(devices, "interface");
        nic.setAttribute("type", "network");
        if (mac != null) {
            child(nic, "mac").setAttribute("address", mac);
        }
        child(nic, "source").setAttribute("network", spec.network());
        child(nic, "model").setAttribute("type", "virtio");
        return write(doc);
    }

    /** A qcow2 volume of {@code capacityGib} GiB. */
    static String volume(String name, long capacityGib) {
        Document doc = newDocument();
        Element volume = doc.createElement("volume");
        doc.appendChild(volume);
        text(volume, "name", name);
        text(volume, "capacity", Long.toString(capacityGib)).setAttribute("unit", "GiB");
        Element target = child(volume, "target");
        child(target, "format").setAttribute("type", "qcow2");
        return write(doc);
    }

    /**
     * A volume of {@code capacityBytes} bytes, for re-creating a volume on another host.
     *
     * @param format e.g. {@code qcow2}, or {@code null} for the pool's default
     */
    static String volume(String name, long capacityBytes, String format) {
        Document doc = newDocument();
        Element volume = doc.createElement("volume");
        doc.appendChild(volume);
        text(volume, "name", name);
        text(volume, "capacity", Long.toString(capacityBytes)).setAttribute("unit", "bytes");
        if (format != null) {
            Element target = child(volume, "target");
            child(target, "format").setAttribute("type", format);
        }
        return write(doc);
    }

    static String snapshot(String name) {
        Document doc = newDocument();
        Element snapshot = doc.createElement("domainsnapshot");
        doc.appendChild(snapshot);
        text(snapshot, "name", name);
        return write(doc);
    }

    /**
     * The domain XML with new vCPU count and memory (maximum and current); a {@code current}
     * vCPU count above the new maximum is dropped.
     */
    static String resized(String domainXml, int vcpu, long ramKib) {
        Document doc = parse(domainXml);
        Element domain = doc.getDocumentElement();
        Element vcpuEl = firstChild(domain, "vcpu").orElseGet(() -> child(domain, "vcpu"));
        vcpuEl.setTextContent(Integer.toString(vcpu));
        vcpuEl.removeAttribute("current");
        for (String name : List.of("memory", "currentMemory")) {
            Element mem = firstChild(domain, name).orElseGet(() -> child(domain, name));
            mem.setTextContent(Long.toString(ramKib));
            mem.setAttribute("unit", "KiB");
        }
        return write(doc);
    }

    // ---- reading

    /** @return the guest domain type for hvm guests: kvm when offered, else qemu, else the first one */
    static Optional<String> hvmDomainType(String capabilitiesXml) {
        Document doc = parse(capabilitiesXml);
        List<String> types = new ArrayList<>();
        for (Element guest : children(doc.getDocumentElement(), "guest")) {
            if (!"hvm".equals(firstChild(guest, "os_type").map(Node::getTextContent).map(String::strip).orElse(""))) {
                continue;
            }
            for (Element arch : children(guest, "arch")) {
                for (Element d : children(arch, "domain")) {
                    types.add(d.getAttribute("type"));
                }
            }
        }
        if (types.contains("kvm")) {
            return Optional.of("kvm");
        }
        if (types.contains("qemu")) {
            return Optional.of("qemu");
        }
        return types.stream().filter(t -> !t.isEmpty()).findFirst();
    }

    /** @return the MAC address of the first NIC, if any */
    static Optional<String> firstMac(String domainXml) {
        return devices(parse(domainXml)).stream()
                .flatMap(d -> children(d, "interface").stream())
                .flatMap(i -> firstChild(i, "mac").stream())
                .map(m -> m.getAttribute("address"))
                .filter(a -> !a.isEmpty())
                .findFirst();
    }

    /** @return the source of the first disk with {@code device='disk'} (the system disk) */
    static Optional<DiskSource> systemDisk(String domainXml) {
        for (Element devices : devices(parse(domainXml))) {
            for (Element disk : children(devices, "disk")) {
                String device = disk.getAttribute("device");
                if (!device.isEmpty() && !"disk".equals(device)) {
                    continue;
                }
                Optional<Element> source = firstChild(disk, "source");
                if (source.isEmpty()) {
                    return Optional.empty();
                }
                Element s = source.get();
                return Optional.of(new DiskSource(blankToNull(s.getAttribute("pool")),
                        blankToNull(s.getAttribute("volume")), blankToNull(s.getAttribute("file"))));
            }
        }
        return Optional.empty();
    }

    /** @return the sources of every disk with {@code device='disk'} (not cdrom, floppy, lun), in order */
    static List<DiskSource> disks(String domainXml) {
        List<DiskSource> result = new ArrayList<>();
        for (Element devices : devices(parse(domainXml))) {
            for (Element disk : children(devices, "disk")) {
                String device = disk.getAttribute("device");
                if (!device.isEmpty() && !"disk".equals(device)) {
                    continue;
                }
                Element s = firstChild(disk, "source").orElse(null);
                result.add(s == null ? new DiskSource(null, null, null) : new DiskSource(blankToNull(s.getAttribute("pool")),
                        blankToNull(s.getAttribute("volume")), blankToNull(s.getAttribute("file"))));
            }
        }
        return result;
    }

    /** @return a volume's format ({@code <target><format type=…>}), if it states one */
    static Optional<String> volumeFormat(String volumeXml) {
        Element root = parse(volumeXml).getDocumentElement();
        return firstChild(root, "target").flatMap(t -> firstChild(t, "format")).map(f -> blankToNull(f.getAttribute("type")));
    }

    /** @return the snapshot's creation time ({@code <creationTime>}, epoch seconds) */
    static Instant snapshotCreationTime(String snapshotXml) {
        Element root = parse(snapshotXml).getDocumentElement();
        return firstChild(root, "creationTime")
                .map(e -> Instant.ofEpochSecond(Long.parseLong(e.getTextContent().strip())))
                .orElse(Instant.EPOCH);
    }

    /** @return the name and UUID of a domain definition, for messages */
    static String describe(String domainXml) {
        Element root = parse(domainXml).getDocumentElement();
        String name = firstChild(root, "name").map(Node::getTextContent).map(String::strip).orElse("?");
        String uuid = firstChild(root, "uuid").map(Node::getTextContent).map(String::strip).orElse("none");
        return name + " (uuid " + uuid + ")";
    }

    /**
     * @throws IllegalArgumentException when the text is not well-formed XML
     */
    static Document parse(String xml) {
        try {
            DocumentBuilder builder = builder();
            builder.setErrorHandler(null);
            return builder.parse(new InputSource(new StringReader(xml)));
        } catch (SAXException e) {
            throw new IllegalArgumentException("not well-formed XML: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- helpers

    private static List<Element> devices(Document doc) {
        return children(doc.getDocumentElement(), "devices");
    }

    private static Document newDocument() {
        return builder().newDocument();
    }

    private static DocumentBuilder builder() {
        DocumentBuilder b = BUILDER.get();
        b.reset();
        return b;
    }

    private static Element child(Element parent, String name) {
        Element e = parent.getOwnerDocument().createElement(name);
        parent.appendChild(e);
        return e;
    }

    private static Element text(Element parent, String name, String value) {
        Element e = child(parent, name);
        e.setTextContent(value);
        return e;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> result = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && name.equals(e.getTagName())) {
                result.add(e);
            }
        }
        return result;
    }

    private static Optional<Element> firstChild(Element parent, String name) {
        return children(parent, name).stream().findFirst();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String write(Document doc) {
        try {
            StringWriter out = new StringWriter();
            TRANSFORMER.get().transform(new DOMSource(doc), new StreamResult(out));
            return out.toString();
        } catch (TransformerException | RuntimeException e) {
            // a failed transformer is not trusted with the next document
            TRANSFORMER.remove();
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    private static Transformer newTransformer() {
        try {
            TransformerFactory tf = TransformerFactory.newInstance();
            tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            Transformer t = tf.newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            t.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            return t;
        } catch (TransformerException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DocumentBuilderFactory newFactory() {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        try {
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
        try {
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        } catch (ParserConfigurationException e) {
            // a parser without this feature: secure processing above still limits entities
        }
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        return f;
    }
}
