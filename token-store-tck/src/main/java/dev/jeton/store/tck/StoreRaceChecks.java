package dev.jeton.store.tck;

import static dev.jeton.store.tck.Records.first;
import static dev.jeton.store.tck.Records.next;
import static dev.jeton.store.tck.Records.rotation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jeton.RevocationReason;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.GraceWindow;
import dev.jeton.store.Rotation;
import dev.jeton.store.StepResult;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Steps on one family are serialised: threads released together by a latch, each round on a new family, see every
 * step applied or refused as a whole.
 */
abstract class StoreRaceChecks extends ContractGroup {

    StoreRaceChecks(TokenStoreContract contract) {
        super(contract);
    }

    @Test
    void exactlyOneOfManyRotationsOfTheSameTokenApplies() {
        for (int round = 0; round < rounds(); round++) {
            FamilyRecord first = create(first("rotations-" + round, "alice", now()));
            Instant at = now();
            List<Rotation> rotations = IntStream.range(0, threads())
                    .mapToObj(i -> rotation(first, Records.hash(first.id() + "/" + i), at, Records.GRACE)).toList();

            List<Race.Outcome<StepResult>> outcomes = Race.run(threads(), i -> store().rotate(rotations.get(i)));

            List<Integer> applied = IntStream.range(0, threads())
                    .filter(i -> outcomes.get(i).value().applied()).boxed().toList();
            assertThat(applied).as("rotations applied in round %d", round).hasSize(1);
            FamilyRecord after = first.rotated(rotations.get(applied.get(0)));
            assertThat(stored(first.id())).isEqualTo(after);
            for (Race.Outcome<StepResult> outcome : outcomes) {
                assertThat(outcome.value().record()).as("every step sees the one rotation").contains(after);
            }
        }
    }

    @Test
    void graceClaimsRacingEachOtherNeverExceedMaxUses() {
        int maxUses = threads() / 2;
        for (int round = 0; round < rounds(); round++) {
            FamilyRecord first = create(first("claims-" + round, "alice", now()));
            FamilyRecord rotated = store().rotate(next(first, now(), Records.GRACE)).record().orElseThrow();

            List<Race.Outcome<StepResult>> outcomes = Race.run(threads(),
                    i -> store().claimGrace(first.id(), first.currentHash(), maxUses, now()));

            List<Integer> uses = outcomes.stream().map(Race.Outcome::value).filter(StepResult::applied)
                    .map(r -> r.record().orElseThrow().grace().orElseThrow().uses()).toList();
            assertThat(uses).as("the use each applied claim got, in round %d", round)
                    .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, maxUses)
                            .boxed().toList());
            assertThat(stored(first.id()).grace().orElseThrow())
                    .isEqualTo(new GraceWindow(first.currentHash(), rotated.grace().orElseThrow().sealedSuccessor(),
                            rotated.grace().orElseThrow().until(), maxUses));
        }
    }

    @Test
    void graceClaimsRacingARotationClaimOnlyTheWindowTheyWereFor() {
        for (int round = 0; round < rounds(); round++) {
            FamilyRecord first = create(first("claim-vs-rotate-" + round, "alice", now()));
            FamilyRecord second = store().rotate(next(first, now(), Records.GRACE)).record().orElseThrow();
            Rotation third = next(second, now(), Records.GRACE);

            List<Race.Outcome<StepResult>> outcomes = Race.run(threads(), i -> i == 0 ? store().rotate(third)
                    : store().claimGrace(first.id(), first.currentHash(), 100, now()));

            assertThat(outcomes.get(0).value().applied()).as("the rotation, round %d", round).isTrue();
            List<StepResult> claims = outcomes.subList(1, threads()).stream().map(Race.Outcome::value).toList();
            List<Integer> uses = claims.stream().filter(StepResult::applied)
                    .map(r -> r.record().orElseThrow().grace().orElseThrow().uses()).toList();
            assertThat(uses).as("uses of applied claims").doesNotHaveDuplicates().allMatch(u -> u <= uses.size());
            for (StepResult claim : claims) {
                FamilyRecord seen = claim.record().orElseThrow();
                if (claim.applied()) {
                    assertThat(seen.generation()).isEqualTo(1);
                    assertThat(seen.grace().orElseThrow().sealedSuccessor())
                            .isEqualTo(second.grace().orElseThrow().sealedSuccessor());
                } else {
                    assertThat(seen.generation()).as("a claim is refused only after the rotation").isEqualTo(2);
                }
            }
            FamilyRecord after = stored(first.id());
            assertThat(after.generation()).isEqualTo(2);
            assertThat(after.grace().orElseThrow()).isEqualTo(third.grace().orElseThrow());
        }
    }

    @Test
    void aRevocationRacingRotationsLeavesTheFamilyRevokedForGood() {
        List<RevocationReason> reasons = List.of(RevocationReason.values());
        for (int round = 0; round < rounds(); round++) {
            FamilyRecord first = create(first("rotate-vs-revoke-" + round, "alice", now()));
            AtomicReference<FamilyRecord> last = new AtomicReference<>(first);
            Instant at = now();

            List<Race.Outcome<Boolean>> outcomes = Race.run(threads(), i -> {
                if (i > 0) {
                    return store().revokeFamily(first.id(), reasons.get(i % reasons.size()), at);
                }
                for (int step = 0; step < 20; step++) {
                    StepResult result = store().rotate(next(last.get(), at, Records.GRACE));
                    if (!result.applied()) {
                        return false;
                    }
                    assertThat(result.record().orElseThrow().revocation()).isEmpty();
                    last.set(result.record().orElseThrow());
                }
                return true;
            });

            long revokers = outcomes.subList(1, threads()).stream().filter(Race.Outcome::value).count();
            assertThat(revokers).as("revokeFamily calls that revoked, round %d", round).isEqualTo(1);
            FamilyRecord after = stored(first.id());
            assertThat(after.revocation()).isPresent();
            assertThat(after.grace()).as("the grace window, dropped by the revocation").isEmpty();
            assertThat(after.generation()).isEqualTo(last.get().generation());
            assertThat(after.currentHash()).isEqualTo(last.get().currentHash());
            Instant later = at.plusSeconds(1);
            assertRefused(store().rotate(next(after, later)), after);
            assertRefused(store().slide(first.id(), after.generation(), after.currentHash(), later.plusSeconds(60),
                    later), after);
            if (last.get().grace().isPresent()) {
                assertRefused(store().claimGrace(first.id(), last.get().grace().get().previousHash(), 100, later),
                        after);
            }
            assertThat(store().revocationStatus(Optional.of(first.id()), "jti", later).sessionRevoked()).isTrue();
        }
    }
}
