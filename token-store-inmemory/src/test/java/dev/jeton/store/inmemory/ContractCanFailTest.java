package dev.jeton.store.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** Proves the contract kit can fail: it runs against a store whose rotation is not atomic, and must catch it. */
class ContractCanFailTest {

    @Test
    void theKitCatchesAStoreWhoseRotationIsNotAtomic() {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(NonAtomicStoreProbe.class)).build(), listener);
        TestExecutionSummary summary = listener.getSummary();

        List<String> failed = summary.getFailures().stream()
                .map(f -> f.getTestIdentifier().getSource().orElseThrow())
                .map(source -> ((MethodSource) source).getMethodName())
                .toList();

        assertThat(summary.getTestsSucceededCount()).isPositive();
        assertThat(failed).contains("exactlyOneOfManyConcurrentRefreshesOfOneTokenWins");
    }
}
