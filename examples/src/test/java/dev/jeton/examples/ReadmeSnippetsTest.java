package dev.jeton.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles every Java snippet of the README against the current build, and runs the quickstart, so the README cannot
 * drift from the API.
 */
class ReadmeSnippetsTest {

    private static final String IMPORTS = """
            import dev.jeton.*;
            import dev.jeton.key.*;
            import dev.jeton.store.inmemory.*;
            import dev.jeton.store.jdbc.*;
            import com.zaxxer.hikari.*;
            import javax.sql.DataSource;
            import java.util.concurrent.*;
            import dev.jeton.testing.*;
            import dev.jeton.client.AuthorizedHttpClient;
            import dev.jeton.client.ClientAuthentication;
            import dev.jeton.client.EncryptedFileTokenStorage;
            import dev.jeton.client.Pkce;
            import dev.jeton.client.TokenEndpointClient;
            import dev.jeton.client.TokenSet;
            import dev.jeton.client.TokenStorage;
            import java.net.http.*;
            import java.nio.file.*;
            import java.net.URI;
            import java.time.*;
            import java.util.*;
            """;

    /** Names a snippet may use without defining them. */
    private static final String PRELUDE = "String bearerToken = \"not-a-token\";\n"
            + "String code = \"authorization-code\";\n"
            + "char[] passphrase = \"correct horse battery staple\".toCharArray();\n";

    @TempDir
    Path work;

    @Test
    void everyReadmeJavaSnippetCompiles() throws Exception {
        List<String> snippets = javaSnippets();
        assertThat(snippets).hasSizeGreaterThanOrEqualTo(2);
        compile(snippets);
    }

    /**
     * Every snippet runs, except those that need a server elsewhere (a remote JWKS, a PostgreSQL, a token endpoint;
     * token-client runs against the demo server in the walkthrough and {@code SingleFlightAgainstDemoServerTest}).
     */
    @Test
    void readmeSnippetsRunWithoutError() throws Exception {
        List<String> snippets = javaSnippets();
        ClassLoader loader = compile(snippets);
        int ran = 0;
        for (int i = 0; i < snippets.size(); i++) {
            if (snippets.get(i).contains("RemoteJwksKeyProvider") || snippets.get(i).contains("jdbc:postgresql")
                    || snippets.get(i).contains("auth.example.com/oauth/token")) {
                continue;
            }
            Method run = loader.loadClass("Snippet" + i).getMethod("run");
            run.invoke(null);
            ran++;
        }
        assertThat(ran).isGreaterThanOrEqualTo(4);
    }

    private static List<String> javaSnippets() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        List<String> snippets = new ArrayList<>();
        while (m.find()) {
            snippets.add(m.group(1));
        }
        return snippets;
    }

    private ClassLoader compile(List<String> snippets) throws Exception {
        List<Path> sources = new ArrayList<>();
        for (int i = 0; i < snippets.size(); i++) {
            Path source = work.resolve("Snippet" + i + ".java");
            Files.writeString(source, IMPORTS + "public class Snippet" + i + " {\n"
                    + "    public static void run() throws Exception {\n" + PRELUDE + snippets.get(i) + "\n    }\n}\n");
            sources.add(source);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("-classpath", System.getProperty("java.class.path"),
                "-d", work.toString(), "-proc:none"));
        sources.forEach(s -> args.add(s.toString()));
        int status = javac.run(null, errors, errors, args.toArray(String[]::new));
        assertThat(status).as("README snippets compile:%n%s", errors).isZero();
        return new URLClassLoader(new URL[] {work.toUri().toURL()}, getClass().getClassLoader());
    }
}
