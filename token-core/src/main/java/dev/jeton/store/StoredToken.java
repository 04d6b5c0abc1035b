package dev.jeton.store;

import java.util.Objects;

/**
 * A stored refresh token with its family, as read together.
 *
 * @param token the token row
 * @param family the family row it belongs to
 */
public record StoredToken(RefreshTokenRecord token, RefreshFamily family) {

    /** Checks that the token belongs to the family. */
    public StoredToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(family, "family");
        if (!token.familyId().equals(family.id())) {
            throw new IllegalArgumentException("token " + token.label() + " does not belong to family " + family.id());
        }
    }
}
