package dev.jeton.store.tck;

import static dev.jeton.store.tck.Records.first;
import static dev.jeton.store.tck.Records.next;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jeton.RevocationReason;
import dev.jeton.store.FamilyRecord;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code liveFamilies}: a subject's families that are neither revoked nor past their absolute expiry, as stored. */
abstract class LiveFamiliesChecks extends ContractGroup {

    LiveFamiliesChecks(TokenStoreContract contract) {
        super(contract);
    }

    @Test
    void theSubjectsLiveFamiliesAreListedAsTheyStandNow() {
        FamilyRecord phone = create(first("phone", "alice", now()));
        FamilyRecord laptop = create(first("laptop", "alice", now()));
        create(first("other", "bob", now()));
        FamilyRecord rotated = store().rotate(next(laptop, now())).record().orElseThrow();

        assertThat(store().liveFamilies("alice", now())).containsExactlyInAnyOrder(phone, rotated);
        assertThat(store().liveFamilies("bob", now())).hasSize(1);
    }

    @Test
    void revokedFamiliesAreLeftOut() {
        FamilyRecord phone = create(first("phone", "alice", now()));
        FamilyRecord laptop = create(first("laptop", "alice", now()));

        store().revokeFamily(phone.id(), RevocationReason.SESSION_REVOKED, now());

        assertThat(store().liveFamilies("alice", now())).containsExactly(laptop);
    }

    @Test
    void aFamilyIsLeftOutFromExactlyItsAbsoluteExpiry() {
        FamilyRecord family = create(Records.firstUntilExpiry("ending", "alice", now()));
        Instant expiry = family.family().expiresAt();

        assertThat(store().liveFamilies("alice", expiry.minusMillis(1))).containsExactly(family);
        assertThat(store().liveFamilies("alice", expiry)).isEmpty();
    }

    @Test
    void aFamilyWhoseTokenIdledOutIsStillListedUntilItsAbsoluteExpiry() {
        FamilyRecord family = create(first("idle", "alice", now()));

        assertThat(store().liveFamilies("alice", family.idleExpiresAt().plusSeconds(60))).containsExactly(family);
    }

    @Test
    void aSubjectWithoutFamiliesHasNone() {
        create(first("phone", "alice", now()));

        assertThat(store().liveFamilies("nobody", now())).isEmpty();
    }
}
