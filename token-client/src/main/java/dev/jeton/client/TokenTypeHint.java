package dev.jeton.client;

/** The {@code token_type_hint} of a revocation request (RFC 7009 §2.1). */
public enum TokenTypeHint {
    /** {@code access_token}. */
    ACCESS_TOKEN("access_token"),
    /** {@code refresh_token}. */
    REFRESH_TOKEN("refresh_token");

    private final String wire;

    TokenTypeHint(String wire) {
        this.wire = wire;
    }

    String wire() {
        return wire;
    }
}
