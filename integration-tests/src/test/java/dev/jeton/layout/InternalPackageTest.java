package dev.jeton.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code dev.jeton.internal} is token-core's implementation: no other module's main classes use it. The compiler
 * already refuses it to every module with a module-info, since token-core does not export it; this also covers the
 * modules without one (examples, benchmarks) and any code compiled on the class path, where nothing else would.
 *
 * <p>It reads each module's compiled classes ({@code target/classes}, built before this module: it depends on all of
 * them), so a use in a method body counts as much as an import.
 */
class InternalPackageTest {

    private static final String INTERNAL = "dev.jeton.internal";

    @Test
    void noModuleButTokenCoreUsesDevJetonInternal() {
        Map<String, List<String>> uses = new TreeMap<>();
        List<String> scanned = new ArrayList<>();
        for (String module : Reactor.modules()) {
            if (module.equals("token-core") || !Files.isDirectory(Reactor.ROOT.resolve(module).resolve("src/main"))) {
                continue;
            }
            Path classes = Reactor.ROOT.resolve(module).resolve("target/classes");
            assertThat(classFiles(classes)).as("the compiled classes of %s: integration-tests must depend on every "
                    + "module with main code so that it is built first", module).isNotEmpty();
            uses.putAll(internalUses(module, classes));
            scanned.add(module);
        }

        assertThat(scanned).contains("token-store-jdbc", "token-store-redis", "token-client", "examples", "benchmarks");
        assertThat(uses).as("main classes outside token-core that use %s", INTERNAL).isEmpty();
    }

    @Test
    void theScanSeesTokenCoresOwnUseOfTheInternalPackage() {
        Map<String, List<String>> uses = internalUses("token-core", Reactor.ROOT.resolve("token-core/target/classes"));

        assertThat(uses.keySet()).as("token-core's API classes that use its implementation")
                .anyMatch(name -> name.startsWith("token-core: dev.jeton.") && !name.contains(INTERNAL));
    }

    /** For each class of the module that uses the internal package, what it uses, keyed "module: class". */
    private static Map<String, List<String>> internalUses(String module, Path classes) {
        Map<String, List<String>> uses = new TreeMap<>();
        for (Path file : classFiles(classes)) {
            String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
            if (name.equals("module-info")) {
                continue;
            }
            try {
                List<String> used = List.copyOf(ClassReferences.of(Files.readAllBytes(file), INTERNAL + "."));
                if (!used.isEmpty()) {
                    uses.put(module + ": " + name, used);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return uses;
    }

    private static List<Path> classFiles(Path classes) {
        if (!Files.isDirectory(classes)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(classes)) {
            return files.filter(f -> f.toString().endsWith(".class")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
