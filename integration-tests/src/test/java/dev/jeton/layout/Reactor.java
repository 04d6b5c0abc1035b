package dev.jeton.layout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The build's modules as the root pom lists them, read from the source tree beside this module. */
final class Reactor {

    /** Surefire runs the tests in this module's directory; the root pom is one up. */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

    private Reactor() {
    }

    /** Every module of the root pom, in its order. */
    static List<String> modules() {
        Matcher modules = MODULE.matcher(pom(""));
        return modules.results().map(m -> m.group(1)).toList();
    }

    /** The pom of a module ("" for the root) as text. */
    static String pom(String module) {
        return read(ROOT.resolve(module).resolve("pom.xml"));
    }

    /** Whether a module is published: it builds a jar and does not set {@code jeton.skipPublishArtifacts}. */
    static boolean published(String module) {
        String pom = pom(module);
        return !pom.contains("<packaging>pom</packaging>")
                && !pom.contains("<jeton.skipPublishArtifacts>true</jeton.skipPublishArtifacts>");
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
