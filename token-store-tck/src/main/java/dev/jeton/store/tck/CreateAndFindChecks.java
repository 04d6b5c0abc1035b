package dev.jeton.store.tck;

import static dev.jeton.store.tck.Records.first;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jeton.store.FamilyRecord;
import dev.jeton.store.RefreshFamily;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code createFamily} and {@code findFamily}: a family is kept exactly as given, once. */
abstract class CreateAndFindChecks extends ContractGroup {

    CreateAndFindChecks(TokenStoreContract contract) {
        super(contract);
    }

    @Test
    void aCreatedFamilyIsFoundExactlyAsGiven() {
        FamilyRecord first = create(first("create", "alice", now()));

        FamilyRecord found = stored(first.id());

        assertThat(found).isEqualTo(first);
        RefreshFamily family = found.family();
        assertThat(family.scopes()).containsExactlyElementsOf(Records.SCOPES);
        assertThat(family.claimsJson()).isEqualTo(Records.CLAIMS_JSON);
        assertThat(found.generation()).isZero();
        assertThat(found.grace()).isEmpty();
        assertThat(found.revocation()).isEmpty();
    }

    @Test
    void emptyClaimsAndNoScopesAreKeptAsGiven() {
        Instant now = now();
        RefreshFamily bare = new RefreshFamily(Records.familyId("bare"), "bob", "cli", Set.of(), "{}", now,
                now.plus(Records.LIFETIME));
        FamilyRecord first = create(FamilyRecord.first(bare, Records.hash("bare"), now.plus(Records.IDLE)));

        assertThat(stored(first.id())).isEqualTo(first);
    }

    @Test
    void aSecondFamilyWithTheSameIdIsRefusedAndTheFirstIsKept() {
        Instant now = now();
        FamilyRecord first = create(first("duplicate", "alice", now));
        FamilyRecord impostor = FamilyRecord.first(new RefreshFamily(first.id(), "mallory", "evil",
                Set.of("admin"), "{}", now.plusSeconds(1), now.plus(Records.LIFETIME.multipliedBy(2))),
                Records.hash("impostor"), now.plus(Records.IDLE));

        assertThatThrownBy(() -> store().createFamily(impostor)).isInstanceOf(IllegalStateException.class);

        assertThat(stored(first.id())).isEqualTo(first);
        assertThat(store().liveFamilies("mallory", now)).isEmpty();
    }

    @Test
    void findingAnUnknownFamilyIsEmpty() {
        create(first("known", "alice", now()));

        assertThat(store().findFamily(Records.familyId("unknown"))).isEmpty();
    }

    @Test
    void familiesAreKeptApart() {
        FamilyRecord one = create(first("one", "alice", now()));
        FamilyRecord two = create(first("two", "alice", now()));

        assertThat(stored(one.id())).isEqualTo(one);
        assertThat(stored(two.id())).isEqualTo(two);
    }
}
