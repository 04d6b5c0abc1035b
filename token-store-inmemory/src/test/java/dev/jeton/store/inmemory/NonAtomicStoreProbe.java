package dev.jeton.store.inmemory;

import dev.jeton.store.RefreshTokenRecord;
import dev.jeton.store.RotationResult;
import dev.jeton.store.StoredToken;
import dev.jeton.store.TokenState;
import dev.jeton.store.TokenStore;
import dev.jeton.store.tck.ForwardingTokenStore;
import dev.jeton.store.tck.TokenStoreContract;
import dev.jeton.testing.TestClock;
import java.time.Instant;
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
    static final class NonAtomicStore extends ForwardingTokenStore {

        NonAtomicStore(TokenStore delegate) {
            super(delegate);
        }

        @Override
        public RotationResult rotate(String presentedHash, RefreshTokenRecord successor,
                                     Optional<String> sealedSuccessor, Optional<Instant> graceUntil, Instant now) {
            Optional<StoredToken> seen = delegate().findToken(presentedHash);
            if (seen.isEmpty() || seen.get().token().state() != TokenState.ACTIVE
                    || !seen.get().family().isLiveAt(now)) {
                return RotationResult.refused(seen);
            }
            Thread.yield();
            delegate().rotate(presentedHash, successor, sealedSuccessor, graceUntil, now);
            return RotationResult.applied(new StoredToken(successor, seen.get().family()));
        }
    }
}
