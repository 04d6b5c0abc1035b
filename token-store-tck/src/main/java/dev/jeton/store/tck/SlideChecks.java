package dev.jeton.store.tck;

import static dev.jeton.store.tck.Records.first;
import static dev.jeton.store.tck.Records.next;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jeton.RevocationReason;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.StepResult;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code slide} ({@code REUSE} mode): moves the idle expiry of the current token, under the rotation's conditions. */
abstract class SlideChecks extends ContractGroup {

    SlideChecks(TokenStoreContract contract) {
        super(contract);
    }

    @Test
    void slidingMovesOnlyTheIdleExpiry() {
        FamilyRecord first = create(first("slide", "alice", now()));
        Instant at = now().plusSeconds(600);
        Instant idle = at.plus(Records.IDLE);

        StepResult result = store().slide(first.id(), 0, first.currentHash(), idle, at);

        assertApplied(result, first.slid(idle));
        assertThat(result.record().orElseThrow().generation()).isZero();
        assertThat(result.record().orElseThrow().currentHash()).isEqualTo(first.currentHash());
    }

    @Test
    void slidingKeepsTheGraceWindowOfTheLastRotation() {
        FamilyRecord first = create(first("window", "alice", now()));
        FamilyRecord rotated = store().rotate(next(first, now(), Records.GRACE)).record().orElseThrow();
        Instant idle = now().plusSeconds(5).plus(Records.IDLE);

        StepResult result = store().slide(rotated.id(), 1, rotated.currentHash(), idle, now().plusSeconds(5));

        assertApplied(result, rotated.slid(idle));
        assertThat(result.record().orElseThrow().grace()).isEqualTo(rotated.grace());
    }

    @Test
    void onlyTheCurrentTokenAtItsGenerationSlides() {
        FamilyRecord first = create(first("current", "alice", now()));
        FamilyRecord rotated = store().rotate(next(first, now())).record().orElseThrow();
        Instant at = now().plusSeconds(1);
        Instant idle = at.plus(Records.IDLE);

        assertRefused(store().slide(first.id(), 0, first.currentHash(), idle, at), rotated);
        assertRefused(store().slide(first.id(), 1, first.currentHash(), idle, at), rotated);
        assertRefused(store().slide(first.id(), 0, rotated.currentHash(), idle, at), rotated);
        assertRefused(store().slide(first.id(), 2, rotated.currentHash(), idle, at), rotated);
        assertApplied(store().slide(first.id(), 1, rotated.currentHash(), idle, at), rotated.slid(idle));
    }

    @Test
    void aRevokedFamilyDoesNotSlide() {
        FamilyRecord first = create(first("revoked", "alice", now()));
        store().revokeFamily(first.id(), RevocationReason.LOGOUT, now());
        FamilyRecord revoked = stored(first.id());
        Instant at = now().plusSeconds(1);

        assertRefused(store().slide(first.id(), 0, first.currentHash(), at.plus(Records.IDLE), at), revoked);
    }

    @Test
    void aTokenDoesNotSlideAtExactlyItsIdleExpiry() {
        FamilyRecord first = create(first("idle", "alice", now()));
        Instant idle = first.idleExpiresAt();

        assertRefused(store().slide(first.id(), 0, first.currentHash(), idle.plus(Records.IDLE), idle), first);
        Instant before = idle.minusMillis(1);
        assertApplied(store().slide(first.id(), 0, first.currentHash(), before.plus(Records.IDLE), before),
                first.slid(before.plus(Records.IDLE)));
    }

    @Test
    void aFamilyDoesNotSlideAtExactlyItsAbsoluteExpiry() {
        FamilyRecord first = create(Records.firstUntilExpiry("absolute", "alice", now()));
        Instant expiry = first.family().expiresAt();

        assertRefused(store().slide(first.id(), 0, first.currentHash(), expiry, expiry), first);
    }

    @Test
    void slidingInAnUnknownFamilyIsRefusedWithNoRecord() {
        StepResult result = store().slide(Records.familyId("unknown"), 0, Records.hash("unknown"),
                now().plus(Records.IDLE), now());

        assertThat(result.applied()).isFalse();
        assertThat(result.record()).isEmpty();
    }
}
