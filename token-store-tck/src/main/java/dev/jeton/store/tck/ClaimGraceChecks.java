package dev.jeton.store.tck;

import static dev.jeton.store.tck.Records.first;
import static dev.jeton.store.tck.Records.next;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jeton.RevocationReason;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.StepResult;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code claimGrace}: one use of an open grace window, for the token it was opened for, up to the uses allowed. */
abstract class ClaimGraceChecks extends ContractGroup {

    ClaimGraceChecks(TokenStoreContract contract) {
        super(contract);
    }

    /** A family rotated once at {@code now()}, with a grace window for its first token. */
    private FamilyRecord rotatedWithGrace(String seed) {
        FamilyRecord first = create(first(seed, "alice", now()));
        return store().rotate(next(first, now(), Records.GRACE)).record().orElseThrow();
    }

    private String previousHash(FamilyRecord record) {
        return record.grace().orElseThrow().previousHash();
    }

    @Test
    void aClaimCountsOneUseAndChangesNothingElse() {
        FamilyRecord rotated = rotatedWithGrace("claim");

        StepResult result = store().claimGrace(rotated.id(), previousHash(rotated), 2, now().plusSeconds(1));

        assertApplied(result, rotated.graceUsed());
        FamilyRecord after = result.record().orElseThrow();
        assertThat(after.grace().orElseThrow().uses()).isEqualTo(1);
        assertThat(after.grace().orElseThrow().sealedSuccessor())
                .isEqualTo(rotated.grace().orElseThrow().sealedSuccessor());
        assertThat(after.generation()).isEqualTo(1);
        assertThat(after.currentHash()).isEqualTo(rotated.currentHash());
    }

    @Test
    void claimsStopAtMaxUses() {
        FamilyRecord rotated = rotatedWithGrace("uses");
        String previous = previousHash(rotated);
        Instant at = now().plusSeconds(1);

        assertApplied(store().claimGrace(rotated.id(), previous, 2, at), rotated.graceUsed());
        assertApplied(store().claimGrace(rotated.id(), previous, 2, at), rotated.graceUsed().graceUsed());
        FamilyRecord used = stored(rotated.id());
        assertRefused(store().claimGrace(rotated.id(), previous, 2, at), used);
        assertRefused(store().claimGrace(rotated.id(), previous, 1, at), used);
        assertApplied(store().claimGrace(rotated.id(), previous, 3, at), used.graceUsed());
    }

    @Test
    void aClaimIsRefusedAtExactlyTheEndOfTheWindow() {
        FamilyRecord rotated = rotatedWithGrace("window");
        Instant end = rotated.grace().orElseThrow().until();

        assertRefused(store().claimGrace(rotated.id(), previousHash(rotated), 5, end), rotated);
        assertRefused(store().claimGrace(rotated.id(), previousHash(rotated), 5, end.plusMillis(1)), rotated);
        assertApplied(store().claimGrace(rotated.id(), previousHash(rotated), 5, end.minusMillis(1)),
                rotated.graceUsed());
    }

    @Test
    void onlyThePreviousTokenOfTheWindowCanClaimIt() {
        FamilyRecord rotated = rotatedWithGrace("previous");
        Instant at = now().plusSeconds(1);

        assertRefused(store().claimGrace(rotated.id(), rotated.currentHash(), 5, at), rotated);
        assertRefused(store().claimGrace(rotated.id(), Records.hash("never issued"), 5, at), rotated);
    }

    @Test
    void aFamilyWithoutAGraceWindowHasNothingToClaim() {
        FamilyRecord first = create(first("none", "alice", now()));
        FamilyRecord rotated = store().rotate(next(first, now())).record().orElseThrow();

        assertRefused(store().claimGrace(first.id(), first.currentHash(), 5, now()), rotated);
        assertThat(rotated.grace()).isEmpty();
    }

    @Test
    void aRevokedFamilyHasNothingToClaim() {
        FamilyRecord rotated = rotatedWithGrace("revoked");
        store().revokeFamily(rotated.id(), RevocationReason.LOGOUT, now());
        FamilyRecord revoked = stored(rotated.id());

        assertRefused(store().claimGrace(rotated.id(), previousHash(rotated), 5, now().plusSeconds(1)), revoked);
    }

    @Test
    void aClaimIsRefusedOnceTheFamilyIsPastItsAbsoluteExpiryEvenWithinTheWindow() {
        FamilyRecord first = create(Records.firstUntilExpiry("late", "alice", now()));
        Instant expiry = first.family().expiresAt();
        Instant rotatedAt = expiry.minusSeconds(10);
        FamilyRecord rotated = store().rotate(next(first, rotatedAt, Records.GRACE)).record().orElseThrow();
        assertThat(rotated.grace().orElseThrow().until()).isAfter(expiry);

        assertRefused(store().claimGrace(rotated.id(), first.currentHash(), 5, expiry), rotated);
        assertApplied(store().claimGrace(rotated.id(), first.currentHash(), 5, expiry.minusMillis(1)),
                rotated.graceUsed());
    }

    @Test
    void claimingInAnUnknownFamilyIsRefusedWithNoRecord() {
        StepResult result = store().claimGrace(Records.familyId("unknown"), Records.hash("unknown"), 5, now());

        assertThat(result.applied()).isFalse();
        assertThat(result.record()).isEmpty();
    }
}
