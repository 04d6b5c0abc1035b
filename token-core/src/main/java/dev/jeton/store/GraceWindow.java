package dev.jeton.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The window after a rotation in which the previous token may be presented again and get the <em>same</em> successor:
 * for a client that lost the response. Holds no usable token: the successor is sealed under a key only the holder of
 * the previous token can derive. Immutable.
 *
 * @param previousHash the hash of the token the rotation replaced
 * @param sealedSuccessor the current token, sealed (AES-GCM, base64url)
 * @param until the end of the window
 * @param uses how many times the window returned the successor
 */
public record GraceWindow(String previousHash, String sealedSuccessor, Instant until, int uses) {

    /** Checks the components. */
    public GraceWindow {
        Objects.requireNonNull(previousHash, "previousHash");
        Objects.requireNonNull(sealedSuccessor, "sealedSuccessor");
        Objects.requireNonNull(until, "until");
        if (uses < 0) {
            throw new IllegalArgumentException("uses must not be negative");
        }
    }

    /** This window with one more use. */
    public GraceWindow used() {
        return new GraceWindow(previousHash, sealedSuccessor, until, uses + 1);
    }
}
