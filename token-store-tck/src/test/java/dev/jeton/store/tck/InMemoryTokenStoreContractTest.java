package dev.jeton.store.tck;

import dev.jeton.store.TokenStore;
import dev.jeton.store.inmemory.InMemoryTokenStore;
import dev.jeton.testing.TestClock;

/**
 * The kit on the reference store: the in-memory store passes every check, as {@link ContractCanFailTest} shows that
 * broken variants of it do not. It runs here rather than in token-store-inmemory because the kit depends on
 * token-test (for {@link TestClock}), which depends on the in-memory store.
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
