package dev.jeton.store.tck;

import dev.jeton.store.TokenStore;
import dev.jeton.testing.TestClock;
import java.util.function.Supplier;

/**
 * The contract kit on each of {@link BrokenStores}. Not run by Surefire itself (nested classes of a class whose name
 * does not end in Test): {@link ContractCanFailTest} runs them and expects each to fail.
 */
final class BrokenStoreProbes {

    private BrokenStoreProbes() {
    }

    /** The kit on one broken store, counting the records the broken store says it holds. */
    abstract static class Probe extends TokenStoreContract {
        private final Supplier<BrokenStores.Broken> factory;

        Probe(Supplier<BrokenStores.Broken> factory) {
            this.factory = factory;
        }

        @Override
        protected TokenStore createStore(TestClock clock) {
            return factory.get();
        }

        @Override
        protected long recordCount(TokenStore store) {
            return ((BrokenStores.Broken) store).records();
        }

        /** Few rounds: these stores break a rule on every call; the stores that break atomicity race longer. */
        @Override
        protected int concurrencyRounds() {
            return 10;
        }
    }

    static final class RotateIgnoringGeneration extends Probe {
        RotateIgnoringGeneration() {
            super(BrokenStores.RotateIgnoringGeneration::new);
        }
    }

    static final class RotateIgnoringRevocation extends Probe {
        RotateIgnoringRevocation() {
            super(BrokenStores.RotateIgnoringRevocation::new);
        }
    }

    static final class RotateNotAtomic extends Probe {
        RotateNotAtomic() {
            super(BrokenStores.RotateNotAtomic::new);
        }

        @Override
        protected int concurrencyRounds() {
            return 50;
        }
    }

    static final class RotateAtTheIdleExpiryInstant extends Probe {
        RotateAtTheIdleExpiryInstant() {
            super(BrokenStores.RotateAtTheIdleExpiryInstant::new);
        }
    }

    static final class HashesIgnoringCaseAndPadding extends Probe {
        HashesIgnoringCaseAndPadding() {
            super(BrokenStores.HashesIgnoringCaseAndPadding::new);
        }
    }

    static final class SlideIgnoringTheToken extends Probe {
        SlideIgnoringTheToken() {
            super(BrokenStores.SlideIgnoringTheToken::new);
        }
    }

    static final class ClaimGraceIgnoringMaxUses extends Probe {
        ClaimGraceIgnoringMaxUses() {
            super(BrokenStores.ClaimGraceIgnoringMaxUses::new);
        }
    }

    static final class ClaimGraceNotAtomic extends Probe {
        ClaimGraceNotAtomic() {
            super(BrokenStores.ClaimGraceNotAtomic::new);
        }

        @Override
        protected int concurrencyRounds() {
            return 50;
        }
    }

    static final class ClaimGraceAtTheWindowEnd extends Probe {
        ClaimGraceAtTheWindowEnd() {
            super(BrokenStores.ClaimGraceAtTheWindowEnd::new);
        }
    }

    static final class RevokeOverwritingTheFirstRevocation extends Probe {
        RevokeOverwritingTheFirstRevocation() {
            super(BrokenStores.RevokeOverwritingTheFirstRevocation::new);
        }
    }

    static final class RevokeKeepingTheGraceWindow extends Probe {
        RevokeKeepingTheGraceWindow() {
            super(BrokenStores.RevokeKeepingTheGraceWindow::new);
        }
    }

    static final class StatusForgettingGoneFamilies extends Probe {
        StatusForgettingGoneFamilies() {
            super(BrokenStores.StatusForgettingGoneFamilies::new);
        }
    }

    static final class DenialAtTheExpiryInstant extends Probe {
        DenialAtTheExpiryInstant() {
            super(BrokenStores.DenialAtTheExpiryInstant::new);
        }
    }

    static final class SubjectsIgnoringCaseAndPadding extends Probe {
        SubjectsIgnoringCaseAndPadding() {
            super(BrokenStores.SubjectsIgnoringCaseAndPadding::new);
        }
    }

    static final class LiveFamiliesIncludingExpired extends Probe {
        LiveFamiliesIncludingExpired() {
            super(BrokenStores.LiveFamiliesIncludingExpired::new);
        }
    }

    static final class CreateIgnoringDuplicates extends Probe {
        CreateIgnoringDuplicates() {
            super(BrokenStores.CreateIgnoringDuplicates::new);
        }
    }

    static final class PurgeDeletingLiveFamilies extends Probe {
        PurgeDeletingLiveFamilies() {
            super(BrokenStores.PurgeDeletingLiveFamilies::new);
        }
    }

    static final class PurgeUnbounded extends Probe {
        PurgeUnbounded() {
            super(BrokenStores.PurgeUnbounded::new);
        }
    }

    static final class GrowingWithEveryRefresh extends Probe {
        GrowingWithEveryRefresh() {
            super(BrokenStores.GrowingWithEveryRefresh::new);
        }
    }
}
