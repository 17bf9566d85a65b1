package de.sid.verbund.security.shiro.internal;

import org.apache.shiro.authc.AuthenticationToken;

/** A web session's secret (the cookie value) presented for authentication. */
record SessionToken(String secret) implements AuthenticationToken {
    @Override
    public Object getPrincipal() {
        return "session";
    }

    @Override
    public Object getCredentials() {
        return secret;
    }

    @Override
    public String toString() {
        return "SessionToken";
    }
}
