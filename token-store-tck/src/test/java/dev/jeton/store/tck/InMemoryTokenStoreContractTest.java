package dev.jeton.store.tck;

import dev.jeton.store.TokenStore;
import dev.jeton.store.inmemory.InMemoryTokenStore;
import dev.jeton.testing.TestClock;

/**
 * The kit on the reference store: the in-memory store passes every check, as {@link ContractCanFailTest} shows that
 * broken variants of it do not.
 */
class InMemoryTokenStoreContractTest extends TokenStoreContract {

    @Override
    protected TokenStore createStore(TestClock clock) {
        return new InMemoryTokenStore();
    }

    @Override
    protected long recordCount(TokenStore store) {
        return ((InMemoryTokenStore) store).familyCount();
    }
}
