package dev.jeton.store.tck;

import static dev.jeton.store.tck.Records.first;
import static dev.jeton.store.tck.Records.lookalikes;
import static dev.jeton.store.tck.Records.next;
import static dev.jeton.store.tck.Records.presenting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jeton.RevocationReason;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.Rotation;
import dev.jeton.store.StepResult;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every text is compared exactly: a family id, a hash, a subject or a {@code jti} that differs only in case or by a
 * trailing space is another one (a database's case-insensitive or space-padding collation must not leak through).
 */
abstract class ExactTextChecks extends ContractGroup {

    ExactTextChecks(TokenStoreContract contract) {
        super(contract);
    }

    @Test
    void familyIdsAreComparedExactly() {
        FamilyRecord family = create(first("id", "alice", now()));
        Rotation rotation = next(family, now());
        Instant at = now();

        for (String id : lookalikes(family.id())) {
            assertThat(store().findFamily(id)).as("findFamily(%s)", id).isEmpty();
            assertNoFamily(store().rotate(new Rotation(id, 0, family.currentHash(), rotation.successorHash(),
                    rotation.successorIdleExpiresAt(), Optional.empty(), at)), "rotate", id);
            assertNoFamily(store().slide(id, 0, family.currentHash(), at.plus(Records.IDLE), at), "slide", id);
            assertNoFamily(store().claimGrace(id, family.currentHash(), 5, at), "claimGrace", id);
            assertThat(store().revokeFamily(id, RevocationReason.LOGOUT, at)).as("revokeFamily(%s)", id).isFalse();
            assertThat(store().revocationStatus(Optional.of(id), "jti", at).sessionRevoked())
                    .as("revocationStatus(%s): no such family, so revoked", id).isTrue();
        }
        assertThat(stored(family.id())).isEqualTo(family);
        assertThat(store().revocationStatus(Optional.of(family.id()), "jti", at).sessionRevoked()).isFalse();
    }

    private static void assertNoFamily(StepResult result, String step, String id) {
        assertThat(result.applied()).as("%s(%s) applied", step, id).isFalse();
        assertThat(result.record()).as("%s(%s) found a record", step, id).isEmpty();
    }

    @Test
    void tokenHashesAreComparedExactly() {
        FamilyRecord first = create(first("hash", "alice", now()));
        FamilyRecord rotated = store().rotate(next(first, now(), Records.GRACE)).record().orElseThrow();
        Rotation rotation = next(rotated, now());
        Instant at = now();

        for (String hash : lookalikes(rotated.currentHash())) {
            assertRefused(store().rotate(presenting(rotation, 1, hash)), rotated);
            assertRefused(store().slide(rotated.id(), 1, hash, at.plus(Records.IDLE), at), rotated);
        }
        for (String hash : lookalikes(first.currentHash())) {
            assertRefused(store().claimGrace(rotated.id(), hash, 5, at), rotated);
        }
    }

    @Test
    void subjectsAreComparedExactly() {
        FamilyRecord alice = create(first("alice", "alice", now()));
        FamilyRecord padded = create(first("padded", "alice ", now()));
        FamilyRecord upper = create(first("upper", "ALICE", now()));
        FamilyRecord capital = create(first("capital", "Alice", now()));

        assertThat(store().liveFamilies("alice", now())).containsExactly(alice);
        assertThat(store().liveFamilies("alice ", now())).containsExactly(padded);
        assertThat(store().liveFamilies("ALICE", now())).containsExactly(upper);
        assertThat(store().liveFamilies("Alice", now())).containsExactly(capital);
        assertThat(store().liveFamilies("alic", now())).isEmpty();
        assertThat(store().liveFamilies("ALICE ", now())).isEmpty();
    }

    @Test
    void accessTokenIdsAreComparedExactly() {
        store().revokeAccessToken("jti-Abc", now().plusSeconds(900));

        for (String jti : lookalikes("jti-Abc")) {
            assertThat(store().revocationStatus(Optional.empty(), jti, now()).accessTokenRevoked())
                    .as("revocationStatus(%s)", jti).isFalse();
        }
        assertThat(store().revocationStatus(Optional.empty(), "jti-Abc", now()).accessTokenRevoked()).isTrue();
    }
}
