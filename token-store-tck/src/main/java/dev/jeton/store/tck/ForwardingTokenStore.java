package dev.jeton.store.tck;

import dev.jeton.RevocationReason;
import dev.jeton.store.RefreshFamily;
import dev.jeton.store.RefreshTokenRecord;
import dev.jeton.store.RotationResult;
import dev.jeton.store.StoredToken;
import dev.jeton.store.TokenStore;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link TokenStore} that forwards every call to another, for tests that decorate a store: inject a failure, count
 * calls, or break an atomicity guarantee on purpose. Override what the test needs.
 */
public abstract class ForwardingTokenStore implements TokenStore {

    private final TokenStore delegate;

    /** Forwards to {@code delegate}. */
    protected ForwardingTokenStore(TokenStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The store calls are forwarded to. */
    protected TokenStore delegate() {
        return delegate;
    }

    @Override
    public void createFamily(RefreshFamily family, RefreshTokenRecord firstToken) {
        delegate.createFamily(family, firstToken);
    }

    @Override
    public Optional<StoredToken> findToken(String tokenHash) {
        return delegate.findToken(tokenHash);
    }

    @Override
    public RotationResult rotate(String presentedHash, RefreshTokenRecord successor, Optional<String> sealedSuccessor,
                                 Optional<Instant> graceUntil, Instant now) {
        return delegate.rotate(presentedHash, successor, sealedSuccessor, graceUntil, now);
    }

    @Override
    public Optional<RefreshTokenRecord> claimGrace(String familyId, String presentedHash, int maxUses, Instant now) {
        return delegate.claimGrace(familyId, presentedHash, maxUses, now);
    }

    @Override
    public RotationResult slide(String familyId, String presentedHash, Instant newIdleExpiresAt, Instant now) {
        return delegate.slide(familyId, presentedHash, newIdleExpiresAt, now);
    }

    @Override
    public boolean revokeFamily(String familyId, RevocationReason reason, Instant now) {
        return delegate.revokeFamily(familyId, reason, now);
    }

    @Override
    public Optional<RefreshFamily> findFamily(String familyId) {
        return delegate.findFamily(familyId);
    }

    @Override
    public List<RefreshFamily> liveFamilies(String subject, Instant now) {
        return delegate.liveFamilies(subject, now);
    }

    @Override
    public void revokeAccessToken(String jti, Instant expiresAt) {
        delegate.revokeAccessToken(jti, expiresAt);
    }

    @Override
    public boolean isAccessTokenRevoked(String jti, Instant now) {
        return delegate.isAccessTokenRevoked(jti, now);
    }

    @Override
    public int purgeExpired(Instant now, int maxRows) {
        return delegate.purgeExpired(now, maxRows);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }
}
