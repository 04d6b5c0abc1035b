package dev.jeton.store.tck;

import static dev.jeton.store.tck.Records.at;
import static dev.jeton.store.tck.Records.first;
import static dev.jeton.store.tck.Records.next;
import static dev.jeton.store.tck.Records.presenting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jeton.RevocationReason;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.GraceWindow;
import dev.jeton.store.Rotation;
import dev.jeton.store.StepResult;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code rotate}: applied to the current token of a usable family, and to nothing else. */
abstract class RotateChecks extends ContractGroup {

    RotateChecks(TokenStoreContract contract) {
        super(contract);
    }

    @Test
    void rotatingTheCurrentTokenAdvancesTheGenerationAndInstallsTheSuccessor() {
        FamilyRecord first = create(first("rotate", "alice", now()));
        Instant at = now().plusSeconds(60);
        Rotation rotation = next(first, at);

        StepResult result = store().rotate(rotation);

        FamilyRecord expected = new FamilyRecord(first.family(), 1, rotation.successorHash(),
                at.plus(Records.IDLE), Optional.empty(), Optional.empty());
        assertApplied(result, expected);
        assertThat(first.rotated(rotation)).isEqualTo(expected);
    }

    @Test
    void aRotationWithGraceKeepsThePresentedHashAndTheSealedSuccessorWithNoUses() {
        FamilyRecord first = create(first("grace", "alice", now()));
        Rotation rotation = next(first, now(), Records.GRACE);

        StepResult result = store().rotate(rotation);

        assertApplied(result, first.rotated(rotation));
        GraceWindow window = stored(first.id()).grace().orElseThrow();
        assertThat(window).isEqualTo(new GraceWindow(first.currentHash(), Records.sealed(rotation.successorHash()),
                now().plus(Records.GRACE), 0));
    }

    @Test
    void eachRotationReplacesTheGraceWindowOfTheLastOne() {
        FamilyRecord first = create(first("replace", "alice", now()));
        FamilyRecord second = store().rotate(next(first, now(), Records.GRACE)).record().orElseThrow();
        Rotation withGrace = next(second, now().plusSeconds(1), Records.GRACE);

        FamilyRecord third = store().rotate(withGrace).record().orElseThrow();

        assertThat(third.grace().orElseThrow().previousHash()).isEqualTo(second.currentHash());
        Rotation withoutGrace = next(third, now().plusSeconds(2));
        assertApplied(store().rotate(withoutGrace), third.rotated(withoutGrace));
        assertThat(stored(first.id()).grace()).isEmpty();
        assertThat(stored(first.id()).generation()).isEqualTo(3);
    }

    @Test
    void theCurrentHashPresentedWithAnotherGenerationIsRefused() {
        FamilyRecord first = create(first("generation", "alice", now()));
        FamilyRecord second = store().rotate(next(first, now())).record().orElseThrow();
        Rotation rotation = next(second, now().plusSeconds(1));

        assertRefused(store().rotate(presenting(rotation, 0, second.currentHash())), second);
        assertRefused(store().rotate(presenting(rotation, 2, second.currentHash())), second);
        assertApplied(store().rotate(rotation), second.rotated(rotation));
    }

    @Test
    void anotherHashPresentedWithTheCurrentGenerationIsRefused() {
        FamilyRecord first = create(first("hash", "alice", now()));
        FamilyRecord second = store().rotate(next(first, now(), Records.GRACE)).record().orElseThrow();
        Rotation rotation = next(second, now().plusSeconds(1));

        assertRefused(store().rotate(presenting(rotation, 1, first.currentHash())), second);
        assertRefused(store().rotate(presenting(rotation, 1, Records.hash("never issued"))), second);
        assertRefused(store().rotate(presenting(rotation, 0, first.currentHash())), second);
    }

    @Test
    void aRevokedFamilyIsNotRotated() {
        FamilyRecord first = create(first("revoked", "alice", now()));
        store().revokeFamily(first.id(), RevocationReason.LOGOUT, now());
        FamilyRecord revoked = stored(first.id());

        assertRefused(store().rotate(next(first, now().plusSeconds(1))), revoked);
        assertThat(revoked.revocation()).isPresent();
    }

    @Test
    void aFamilyIsNotRotatedAtExactlyItsAbsoluteExpiry() {
        FamilyRecord family = create(Records.firstUntilExpiry("absolute", "alice", now()));
        Instant expiry = family.family().expiresAt();
        Rotation rotation = next(family, expiry.minusMillis(1));

        assertRefused(store().rotate(at(rotation, expiry)), family);
        assertRefused(store().rotate(at(rotation, expiry.plusMillis(1))), family);
        assertApplied(store().rotate(rotation), family.rotated(rotation));
    }

    @Test
    void aTokenIsNotRotatedAtExactlyItsIdleExpiry() {
        FamilyRecord first = create(first("idle", "alice", now()));
        Rotation rotation = next(first, first.idleExpiresAt().minusMillis(1));

        assertRefused(store().rotate(at(rotation, first.idleExpiresAt())), first);
        assertApplied(store().rotate(rotation), first.rotated(rotation));
    }

    @Test
    void rotatingInAnUnknownFamilyIsRefusedWithNoRecord() {
        FamilyRecord known = create(first("known", "alice", now()));
        FamilyRecord unknown = first("unknown", "alice", now());

        StepResult result = store().rotate(next(unknown, now()));

        assertThat(result.applied()).isFalse();
        assertThat(result.record()).isEmpty();
        assertThat(store().findFamily(unknown.id())).isEmpty();
        assertThat(stored(known.id())).isEqualTo(known);
    }

    @Test
    void aRotationChangesOnlyItsOwnFamily() {
        FamilyRecord one = create(first("one", "alice", now()));
        FamilyRecord two = create(first("two", "alice", now()));

        store().rotate(next(one, now()));

        assertThat(stored(two.id())).isEqualTo(two);
    }
}
