package de.sid.verbund.billing.export.internal;

import java.io.OutputStream;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A thin, indenting layer over the JDK's StAX {@link XMLStreamWriter} (the JDK's own implementation,
 * {@link XMLOutputFactory#newDefaultFactory()}, so no factory lookup through the OSGi or thread
 * context class loader picks another one). Elements are qualified by a prefix bound once on the root.
 */
final class XmlOut {
    private static final String INDENT = "  ";
    private final XMLStreamWriter w;
    private int depth;

    XmlOut(OutputStream out) throws XMLStreamException {
        this.w = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(out, "UTF-8");
        w.writeStartDocument("UTF-8", "1.0");
    }

    /** Starts the root element and declares its namespaces as {@code prefix, uri} pairs. */
    XmlOut root(String prefix, String local, String... prefixesAndUris) throws XMLStreamException {
        w.writeCharacters("\n");
        String uri = null;
        for (int i = 0; i < prefixesAndUris.length; i += 2) {
            if (prefixesAndUris[i].equals(prefix)) {
                uri = prefixesAndUris[i + 1];
            }
            w.setPrefix(prefixesAndUris[i], prefixesAndUris[i + 1]);
        }
        w.writeStartElement(prefix, local, uri);
        for (int i = 0; i < prefixesAndUris.length; i += 2) {
            w.writeNamespace(prefixesAndUris[i], prefixesAndUris[i + 1]);
        }
        depth = 1;
        return this;
    }

    /** Starts an element that will have children, e.g. {@code start("cac", "Party")}. */
    XmlOut start(String prefix, String local) throws XMLStreamException {
        newline();
        w.writeStartElement(prefix, local, w.getNamespaceContext().getNamespaceURI(prefix));
        depth++;
        return this;
    }

    /** Ends the innermost element started with {@link #start}. */
    XmlOut end() throws XMLStreamException {
        depth--;
        newline();
        w.writeEndElement();
        return this;
    }

    /** Writes {@code <prefix:local a1="v1">text</prefix:local>}; nothing when {@code text} is null or blank. */
    XmlOut leaf(String prefix, String local, String text, String... attributes) throws XMLStreamException {
        if (text == null || text.isBlank()) {
            return this;
        }
        newline();
        w.writeStartElement(prefix, local, w.getNamespaceContext().getNamespaceURI(prefix));
        for (int i = 0; i < attributes.length; i += 2) {
            w.writeAttribute(attributes[i], attributes[i + 1]);
        }
        w.writeCharacters(text);
        w.writeEndElement();
        return this;
    }

    /** Ends the root and the document and flushes; the stream stays open. */
    void finish() throws XMLStreamException {
        depth = 0;
        w.writeCharacters("\n");
        w.writeEndElement();
        w.writeCharacters("\n");
        w.writeEndDocument();
        w.flush();
        w.close();
    }

    private void newline() throws XMLStreamException {
        w.writeCharacters("\n" + INDENT.repeat(depth));
    }
}
