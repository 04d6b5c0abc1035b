package dev.jeton.store.tck;

import dev.jeton.RevocationReason;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.RevocationStatus;
import dev.jeton.store.Rotation;
import dev.jeton.store.StepResult;
import dev.jeton.store.TokenStore;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link TokenStore} that forwards every call to another, for tests that decorate a store: inject a failure, count
 * calls, or break a guarantee on purpose to show that a test catches it. Override what the test needs. As thread-safe
 * as the store it forwards to.
 */
public abstract class ForwardingTokenStore implements TokenStore {

    private final TokenStore delegate;

    /**
     * Forwards to {@code delegate}.
     *
     * @throws NullPointerException if {@code delegate} is null
     */
    protected ForwardingTokenStore(TokenStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The store calls are forwarded to. */
    protected TokenStore delegate() {
        return delegate;
    }

    @Override
    public void createFamily(FamilyRecord first) {
        delegate.createFamily(first);
    }

    @Override
    public Optional<FamilyRecord> findFamily(String familyId) {
        return delegate.findFamily(familyId);
    }

    @Override
    public StepResult rotate(Rotation rotation) {
        return delegate.rotate(rotation);
    }

    @Override
    public StepResult claimGrace(String familyId, String previousHash, int maxUses, Instant now) {
        return delegate.claimGrace(familyId, previousHash, maxUses, now);
    }

    @Override
    public StepResult slide(String familyId, long generation, String currentHash, Instant newIdleExpiresAt,
                            Instant now) {
        return delegate.slide(familyId, generation, currentHash, newIdleExpiresAt, now);
    }

    @Override
    public boolean revokeFamily(String familyId, RevocationReason reason, Instant now) {
        return delegate.revokeFamily(familyId, reason, now);
    }

    @Override
    public List<FamilyRecord> liveFamilies(String subject, Instant now) {
        return delegate.liveFamilies(subject, now);
    }

    @Override
    public void revokeAccessToken(String jti, Instant expiresAt) {
        delegate.revokeAccessToken(jti, expiresAt);
    }

    @Override
    public RevocationStatus revocationStatus(Optional<String> familyId, String jti, Instant now) {
        return delegate.revocationStatus(familyId, jti, now);
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
