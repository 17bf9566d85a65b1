package de.sid.verbund.web.ui.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.util.Map;
import java.util.Optional;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The web application at {@code /}: serves the files under {@code webui/} in this bundle (HTML,
 * ES modules, CSS, message files) as the HTTP whiteboard's default servlet, so {@code /api/*}
 * and {@code /metrics} keep their own servlets. {@code /} and every path without a file
 * extension answer {@code index.html} (the pages route by the URL fragment). Every answer
 * carries a Content-Security-Policy that allows only this origin's scripts and styles
 * (no inline script), {@code X-Content-Type-Options: nosniff}, {@code Referrer-Policy:
 * same-origin} and forbids framing (clickjacking); files are revalidated on every load
 * ({@code Cache-Control: no-cache}, with {@code ETag}s from the bundle's build), so a new
 * version is seen at once. Only GET and HEAD; a path leaving {@code webui/} or naming no file
 * answers 404.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("verbund-web-ui")
@HttpWhiteboardServletPattern("/")
public class WebUiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String ROOT = "webui";
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "json", "application/json",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "woff2", "font/woff2");
    /** Files do not change while the bundle is installed: its build time makes the ETag. */
    private final String etag = "\"" + Long.toHexString(buildStamp()) + "\"";

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI().substring(req.getContextPath().length());
        Optional<String> file = resolve(path);
        headers(resp);
        URL url = file.map(f -> WebUiServlet.class.getClassLoader().getResource(ROOT + "/" + f)).orElse(null);
        if (url == null || file.get().endsWith("/")) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        String name = file.get();
        resp.setContentType(TYPES.getOrDefault(extension(name), "application/octet-stream"));
        resp.setHeader("Cache-Control", "no-cache");
        resp.setHeader("ETag", etag);
        if (etag.equals(req.getHeader("If-None-Match"))) {
            resp.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        if ("HEAD".equals(req.getMethod())) {
            return;
        }
        try (InputStream in = url.openStream(); OutputStream out = resp.getOutputStream()) {
            in.transferTo(out);
        }
    }

    private static void headers(HttpServletResponse resp) {
        resp.setHeader("Content-Security-Policy", CSP);
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Referrer-Policy", "same-origin");
        resp.setHeader("X-Frame-Options", "DENY");
    }

    /**
     * Maps a request path to a file under {@code webui/}.
     *
     * @param path the path after the context, e.g. {@code /js/app.js}
     * @return the relative file name ({@code index.html} for {@code /} and paths without an
     *     extension), or empty for paths with {@code ..}, backslashes, NULs or empty segments
     */
    static Optional<String> resolve(String path) {
        String p = path == null || path.isEmpty() ? "/" : path;
        if (p.contains("\\") || p.contains("\0") || p.contains("//") || p.contains("%")) {
            return Optional.empty();
        }
        String rel = p.substring(1);
        for (String segment : rel.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                return Optional.empty();
            }
        }
        String last = rel.substring(rel.lastIndexOf('/') + 1);
        if (rel.isEmpty() || !last.contains(".")) {
            return Optional.of("index.html");
        }
        return Optional.of(rel);
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1);
    }

    private static long buildStamp() {
        org.osgi.framework.Bundle b = org.osgi.framework.FrameworkUtil.getBundle(WebUiServlet.class);
        return b == null ? System.currentTimeMillis() : b.getLastModified();
    }
}
