package de.sid.verbund.metrics.prometheus.internal;

import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.exporter.servlet.javax.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import javax.servlet.Servlet;
import javax.servlet.ServletConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /metrics}: the Prometheus text exposition (and OpenMetrics / protobuf by content
 * negotiation) of Verbund's own registry: JVM metrics, {@code verbund_build_info} and every
 * {@link Collector} or {@link MultiCollector} that an area publishes as an OSGi service.
 * Public, like Prometheus endpoints usually are: it carries no tenant data.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("verbund-metrics")
@HttpWhiteboardServletPattern("/metrics")
public class MetricsEndpoint implements Servlet {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusMetricsServlet servlet = new PrometheusMetricsServlet(registry);

    @Activate
    public MetricsEndpoint() {
        JvmMetrics.builder().register(registry);
        Bundle bundle = FrameworkUtil.getBundle(MetricsEndpoint.class);
        String version = bundle == null ? "dev" : bundle.getVersion().toString();
        Info.builder().name("verbund_build_info").help("Verbund build: version and Java runtime")
                .labelNames("version", "java_version").register(registry)
                .addLabelValues(version, System.getProperty("java.version"));
    }

    /** For tests: the registry behind the endpoint. */
    PrometheusRegistry registry() {
        return registry;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCollector(Collector collector) {
        registry.register(collector);
    }

    void removeCollector(Collector collector) {
        registry.unregister(collector);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addMultiCollector(MultiCollector collector) {
        registry.register(collector);
    }

    void removeMultiCollector(MultiCollector collector) {
        registry.unregister(collector);
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
        servlet.init(config);
    }

    @Override
    public ServletConfig getServletConfig() {
        return servlet.getServletConfig();
    }

    @Override
    public void service(ServletRequest req, ServletResponse res) throws ServletException, IOException {
        servlet.service(req, res);
    }

    @Override
    public String getServletInfo() {
        return "Verbund Prometheus metrics";
    }

    @Override
    public void destroy() {
        servlet.destroy();
    }
}
