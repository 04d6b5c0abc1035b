package dev.jeton.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Proves the contract kit can fail: it runs the whole {@link TokenStoreContract} against each of {@link BrokenStores},
 * which breaks one invariant each, and expects the kit test aimed at that invariant to be among those that fail.
 */
class ContractCanFailTest {

    /** A broken store and the kit test that must catch it. */
    private record Expectation(Class<? extends TokenStoreContract> probe, String catchingTest) {
    }

    private static final List<Expectation> EXPECTATIONS = List.of(
            new Expectation(BrokenStoreProbes.RotateIgnoringGeneration.class,
                    "theCurrentHashPresentedWithAnotherGenerationIsRefused"),
            new Expectation(BrokenStoreProbes.RotateIgnoringRevocation.class, "aRevokedFamilyIsNotRotated"),
            new Expectation(BrokenStoreProbes.RotateNotAtomic.class, "exactlyOneOfManyRotationsOfTheSameTokenApplies"),
            new Expectation(BrokenStoreProbes.RotateAtTheIdleExpiryInstant.class,
                    "aTokenIsNotRotatedAtExactlyItsIdleExpiry"),
            new Expectation(BrokenStoreProbes.HashesIgnoringCaseAndPadding.class, "tokenHashesAreComparedExactly"),
            new Expectation(BrokenStoreProbes.SlideIgnoringTheToken.class,
                    "onlyTheCurrentTokenAtItsGenerationSlides"),
            new Expectation(BrokenStoreProbes.ClaimGraceIgnoringMaxUses.class, "claimsStopAtMaxUses"),
            new Expectation(BrokenStoreProbes.ClaimGraceNotAtomic.class,
                    "graceClaimsRacingEachOtherNeverExceedMaxUses"),
            new Expectation(BrokenStoreProbes.ClaimGraceAtTheWindowEnd.class,
                    "aClaimIsRefusedAtExactlyTheEndOfTheWindow"),
            new Expectation(BrokenStoreProbes.RevokeOverwritingTheFirstRevocation.class,
                    "theFirstRevocationIsKept"),
            new Expectation(BrokenStoreProbes.RevokeKeepingTheGraceWindow.class,
                    "revokingSetsTheRevocationDropsTheGraceWindowAndKeepsTheRest"),
            new Expectation(BrokenStoreProbes.StatusForgettingGoneFamilies.class,
                    "aFamilyThatIsGoneCountsAsRevoked"),
            new Expectation(BrokenStoreProbes.DenialAtTheExpiryInstant.class,
                    "aDeniedAccessTokenIsRevokedUntilExactlyItsExpiry"),
            new Expectation(BrokenStoreProbes.SubjectsIgnoringCaseAndPadding.class, "subjectsAreComparedExactly"),
            new Expectation(BrokenStoreProbes.LiveFamiliesIncludingExpired.class,
                    "aFamilyIsLeftOutFromExactlyItsAbsoluteExpiry"),
            new Expectation(BrokenStoreProbes.CreateIgnoringDuplicates.class,
                    "aSecondFamilyWithTheSameIdIsRefusedAndTheFirstIsKept"),
            new Expectation(BrokenStoreProbes.PurgeDeletingLiveFamilies.class,
                    "aLiveFamilyIsNeverPurgedWhateverItsState"),
            new Expectation(BrokenStoreProbes.PurgeUnbounded.class,
                    "expiredFamiliesArePurgedInBatchesOfAtMostMaxRows"),
            new Expectation(BrokenStoreProbes.GrowingWithEveryRefresh.class,
                    "aLoginKeepsTheSameNumberOfRecordsOverAThousandRefreshes"));

    @TestFactory
    Stream<DynamicTest> theKitCatchesEveryBrokenStore() {
        return EXPECTATIONS.stream().map(e -> DynamicTest.dynamicTest(e.probe().getSimpleName(), () -> {
            TestExecutionSummary summary = run(e.probe());
            List<String> failed = summary.getFailures().stream()
                    .map(f -> name(f.getTestIdentifier()))
                    .toList();

            assertThat(summary.getTestsSucceededCount()).as("kit tests that passed").isPositive();
            assertThat(failed).as("kit tests that failed on %s", e.probe().getSimpleName())
                    .contains(e.catchingTest());
        }));
    }

    private static TestExecutionSummary run(Class<?> probe) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(probe)).build(), listener);
        return listener.getSummary();
    }

    private static String name(TestIdentifier test) {
        return test.getSource()
                .filter(MethodSource.class::isInstance)
                .map(source -> ((MethodSource) source).getMethodName())
                .orElse(test.getDisplayName());
    }
}
