package dev.jeton.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** token-client talks HTTP to any authorization server: its main code uses no other Jeton module. */
class DependenciesTest {

    private static final List<String> ALLOWED = List.of("java.", "javax.", "org.slf4j.",
            "com.fasterxml.jackson.core.", "org.bouncycastle.crypto.", "dev.jeton.client.");

    @Test
    void mainCodeImportsOnlyTheJdkSlf4jJacksonCoreAndBouncyCastle() throws IOException {
        try (Stream<Path> sources = Files.walk(Path.of("src", "main", "java"))) {
            List<String> imports = sources.filter(p -> p.toString().endsWith(".java")).flatMap(p -> {
                try {
                    return Files.readAllLines(p).stream();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).filter(line -> line.startsWith("import ")).map(line -> line.replaceFirst("^import (static )?", ""))
                    .toList();

            assertThat(imports).isNotEmpty()
                    .allSatisfy(name -> assertThat(ALLOWED).anyMatch(name::startsWith));
        }
    }
}
