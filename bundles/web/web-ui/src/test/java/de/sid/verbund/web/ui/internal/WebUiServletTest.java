package de.sid.verbund.web.ui.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebUiServletTest {
    @Test
    void rootAndRoutesAnswerTheApplicationPage() {
        assertThat(WebUiServlet.resolve("/")).contains("index.html");
        assertThat(WebUiServlet.resolve("")).contains("index.html");
        assertThat(WebUiServlet.resolve("/portal")).contains("index.html");
    }

    @Test
    void filesResolveBelowTheRoot() {
        assertThat(WebUiServlet.resolve("/js/app.js")).contains("js/app.js");
        assertThat(WebUiServlet.resolve("/i18n/de/common.json")).contains("i18n/de/common.json");
        assertThat(WebUiServlet.class.getClassLoader().getResource(WebUiServlet.ROOT + "/index.html")).isNotNull();
    }

    @Test
    void pathsLeavingTheRootAreRefused() {
        assertThat(WebUiServlet.resolve("/../META-INF/MANIFEST.MF")).isEmpty();
        assertThat(WebUiServlet.resolve("/js/../../x.class")).isEmpty();
        assertThat(WebUiServlet.resolve("/js/%2e%2e/x.js")).isEmpty();
        assertThat(WebUiServlet.resolve("/js\\app.js")).isEmpty();
        assertThat(WebUiServlet.resolve("//etc/passwd")).isEmpty();
    }
}
