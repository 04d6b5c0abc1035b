package dev.jeton.store;

/** The state of one stored refresh token. */
public enum TokenState {
    /** The family's current token: it may be refreshed. */
    ACTIVE,
    /** It was refreshed and replaced by its successor; presenting it again is reuse (or a grace replay). */
    ROTATED,
    /** Revoked with its family. */
    REVOKED
}
