package dev.jeton.store.inmemory;

import dev.jeton.RevocationReason;
import dev.jeton.store.RefreshFamily;
import dev.jeton.store.RefreshTokenRecord;
import dev.jeton.store.RotationResult;
import dev.jeton.store.StoredToken;
import dev.jeton.store.TokenState;
import dev.jeton.store.TokenStore;
import dev.jeton.store.tck.TokenStoreContract;
import dev.jeton.testing.TestClock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The contract kit run against a deliberately broken store, whose rotate decides on an unlocked read (check, then
 * act). Not run by Surefire itself (the name does not end in Test): {@link ContractCanFailTest} runs it and expects it
 * to fail.
 */
class NonAtomicStoreProbe extends TokenStoreContract {

    @Override
    protected TokenStore createStore(TestClock clock) {
        return new NonAtomicStore(new InMemoryTokenStore());
    }

    /** Rotates after a check made outside the family's serialisation, and reports success on the stale read. */
    static final class NonAtomicStore implements TokenStore {
        private final TokenStore delegate;

        NonAtomicStore(TokenStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public RotationResult rotate(String presentedHash, RefreshTokenRecord successor,
                                     Optional<String> sealedSuccessor, Optional<Instant> graceUntil, Instant now) {
            Optional<StoredToken> seen = delegate.findToken(presentedHash);
            if (seen.isEmpty() || seen.get().token().state() != TokenState.ACTIVE
                    || !seen.get().family().isLiveAt(now)) {
                return RotationResult.refused(seen);
            }
            Thread.yield();
            delegate.rotate(presentedHash, successor, sealedSuccessor, graceUntil, now);
            return RotationResult.applied(seen.get());
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
        public Optional<RefreshTokenRecord> claimGrace(String presentedHash, int maxUses, Instant now) {
            return delegate.claimGrace(presentedHash, maxUses, now);
        }

        @Override
        public RotationResult slide(String presentedHash, Instant newIdleExpiresAt, Instant now) {
            return delegate.slide(presentedHash, newIdleExpiresAt, now);
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
    }
}
