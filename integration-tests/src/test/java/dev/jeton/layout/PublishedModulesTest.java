package dev.jeton.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every published module is in jeton-bom, and consumer-it's application depends on each one through it. */
class PublishedModulesTest {

    private static final Pattern JETON_ARTIFACT =
            Pattern.compile("<dependency>\\s*<groupId>dev\\.jeton</groupId>\\s*<artifactId>([^<]+)</artifactId>");

    @Test
    void theBomManagesExactlyThePublishedModules() {
        List<String> published = Reactor.modules().stream().filter(Reactor::published).toList();
        String bom = Reactor.pom("jeton-bom");
        String managed = bom.substring(bom.indexOf("<dependencyManagement>"));

        assertThat(published).contains("token-core", "token-test");
        assertThat(artifacts(managed)).containsExactlyInAnyOrderElementsOf(published);
        assertThat(artifacts(Reactor.read(Reactor.ROOT.resolve("consumer-it/src/it/consumer/pom.xml"))))
                .as("what consumer-it's convergence project depends on").containsAll(published);
    }

    private static List<String> artifacts(String pom) {
        Matcher artifact = JETON_ARTIFACT.matcher(pom);
        return artifact.results().map(m -> m.group(1)).filter(a -> !a.equals("jeton-bom")).toList();
    }
}
