package dev.jeton.store;

/**
 * What revocation-aware validation asks of a store in one lookup: whether an access token's session was revoked (or is
 * gone), and whether its {@code jti} was denied. Immutable.
 *
 * @param sessionRevoked the family named by the token's {@code sid} is revoked, or no longer exists
 * @param accessTokenRevoked the token's {@code jti} is denied and the denial has not expired
 */
public record RevocationStatus(boolean sessionRevoked, boolean accessTokenRevoked) {

    /** Neither. */
    public static final RevocationStatus NONE = new RevocationStatus(false, false);

    /** Either one. */
    public boolean revoked() {
        return sessionRevoked || accessTokenRevoked;
    }
}
