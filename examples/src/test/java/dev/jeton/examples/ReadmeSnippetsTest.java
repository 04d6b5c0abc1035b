package dev.jeton.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jeton.IssueRequest;
import dev.jeton.PurgeScheduler;
import dev.jeton.TokenService;
import dev.jeton.TokenStoreException;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.store.TokenStore;
import dev.jeton.store.inmemory.InMemoryTokenStore;
import dev.jeton.testing.TestClock;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles every Java snippet of the README against the current build, runs them, and runs the README's purge schedule
 * against a failing store, so the README cannot drift from the API or from what it promises.
 */
class ReadmeSnippetsTest {

    private static final String IMPORTS = """
            import dev.jeton.*;
            import dev.jeton.key.*;
            import dev.jeton.store.inmemory.*;
            import dev.jeton.store.jdbc.*;
            import dev.jeton.store.redis.*;
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

    /** A README module-info compiles with this build's jars on the module path: the modules it requires exist. */
    @Test
    void everyReadmeModuleDeclarationCompiles() throws Exception {
        List<String> declarations = moduleDeclarations();
        assertThat(declarations).isNotEmpty();
        for (String declaration : declarations) {
            Path source = Files.createDirectories(work.resolve("module" + declarations.indexOf(declaration)))
                    .resolve("module-info.java");
            Files.writeString(source, declaration);
            java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
            int status = ToolProvider.getSystemJavaCompiler().run(null, errors, errors, "--module-path",
                    System.getProperty("java.class.path"), "-d", source.getParent().resolve("out").toString(),
                    source.toString());
            assertThat(status).as("README module declaration compiles:%n%s%n%s", declaration, errors).isZero();
        }
    }

    @Test
    void everyReadmeJavaSnippetCompiles() throws Exception {
        List<String> snippets = javaSnippets();
        assertThat(snippets).hasSizeGreaterThanOrEqualTo(2);
        compile(snippets);
    }

    /**
     * Every snippet runs, except those that need a server elsewhere (a remote JWKS, a PostgreSQL, a Redis, a token endpoint;
     * token-client runs against the demo server in the walkthrough and {@code SingleFlightAgainstDemoServerTest}).
     */
    @Test
    void readmeSnippetsRunWithoutError() throws Exception {
        List<String> snippets = javaSnippets();
        ClassLoader loader = compile(snippets);
        int ran = 0;
        for (int i = 0; i < snippets.size(); i++) {
            if (snippets.get(i).contains("RemoteJwksKeyProvider") || snippets.get(i).contains("jdbc:postgresql")
                    || snippets.get(i).contains("auth.example.com/oauth/token")
                    || snippets.get(i).contains("RedisTokenStore")) {
                continue;
            }
            Method run = loader.loadClass("Snippet" + i).getMethod("run");
            run.invoke(null);
            ran++;
        }
        assertThat(ran).isGreaterThanOrEqualTo(4);
    }

    /**
     * The README's purge line, run against a store whose first purge fails: the schedule goes on purging. Only the
     * interval changes, from the README's hour to a millisecond, so that the test sees three runs without waiting.
     */
    @Test
    void readmePurgeScheduleKeepsPurgingAfterAFailedRun() throws Exception {
        List<String> lines = readme().lines().filter(line -> line.contains(".schedulePurge(")).toList();
        assertThat(lines).as("the README schedules the purge in one line").hasSize(1);
        Matcher line = Pattern.compile("\\w+ (\\w+) = tokens\\.schedulePurge\\((Duration\\.\\w+\\(\\d+\\))\\);")
                .matcher(lines.get(0));
        assertThat(line.find()).as("README line: %s", lines.get(0)).isTrue();
        ClassLoader loader = compile(Map.of("PurgeSnippet", "public class PurgeSnippet {\n"
                + "    public static PurgeScheduler run(TokenService tokens) {\n"
                + "        " + line.group().replace(line.group(2), "Duration.ofMillis(1)") + "\n"
                + "        return " + line.group(1) + ";\n    }\n}\n"));

        TestClock clock = TestClock.fixed();
        InMemoryTokenStore memory = new InMemoryTokenStore();
        CountDownLatch threePurges = new CountDownLatch(3);
        TokenService tokens = TokenService.builder().issuer("https://auth.example.com")
                .audience("https://api.example.com").keys(KeyProvider.of(JwtKey.generate(JwsAlgorithm.ES256)))
                .store(failingFirstPurge(memory, threePurges)).clock(clock).build();
        String session = tokens.issue(IssueRequest.forSubject("alice").client("web").build()).sessionId()
                .orElseThrow();
        clock.advance(Duration.ofDays(90));

        PurgeScheduler purging = (PurgeScheduler) loader.loadClass("PurgeSnippet")
                .getMethod("run", TokenService.class).invoke(null, tokens);
        try {
            assertThat(threePurges.await(10, TimeUnit.SECONDS)).as("three purge runs").isTrue();
        } finally {
            purging.close();
        }

        assertThat(purging.failedRuns()).isEqualTo(1);
        assertThat(purging.successfulRuns()).isGreaterThanOrEqualTo(2);
        assertThat(purging.consecutiveFailures()).isZero();
        assertThat(purging.lastSuccess()).contains(clock.instant());
        assertThat(purging.rowsPurged()).isPositive();
        assertThat(memory.findFamily(session)).as("the expired login was purged").isEmpty();
    }

    /** {@code store}, except that its first purge fails as an unreachable database would; counts purge calls. */
    private static TokenStore failingFirstPurge(TokenStore store, CountDownLatch purges) {
        AtomicInteger calls = new AtomicInteger();
        return (TokenStore) Proxy.newProxyInstance(TokenStore.class.getClassLoader(),
                new Class<?>[] {TokenStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("purgeExpired")) {
                        purges.countDown();
                        if (calls.incrementAndGet() == 1) {
                            throw new TokenStoreException("database unreachable",
                                    new SQLTransientConnectionException("connection refused", "08001"));
                        }
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static String readme() throws IOException {
        return Files.readString(Path.of("..", "README.md"));
    }

    /** The README's Java snippets that are statements; module declarations are {@link #moduleDeclarations}. */
    private static List<String> javaSnippets() throws IOException {
        return allJavaSnippets().stream().filter(s -> !s.startsWith("module ")).toList();
    }

    private static List<String> moduleDeclarations() throws IOException {
        return allJavaSnippets().stream().filter(s -> s.startsWith("module ")).toList();
    }

    private static List<String> allJavaSnippets() throws IOException {
        String readme = readme();
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        List<String> snippets = new ArrayList<>();
        while (m.find()) {
            snippets.add(m.group(1));
        }
        return snippets;
    }

    private ClassLoader compile(List<String> snippets) throws Exception {
        Map<String, String> classes = new LinkedHashMap<>();
        for (int i = 0; i < snippets.size(); i++) {
            classes.put("Snippet" + i, "public class Snippet" + i + " {\n"
                    + "    public static void run() throws Exception {\n" + PRELUDE + snippets.get(i) + "\n    }\n}\n");
        }
        return compile(classes);
    }

    /** Compiles each class body, given by class name, after the snippets' imports. */
    private ClassLoader compile(Map<String, String> classes) throws Exception {
        List<Path> sources = new ArrayList<>();
        for (Map.Entry<String, String> c : classes.entrySet()) {
            Path source = work.resolve(c.getKey() + ".java");
            Files.writeString(source, IMPORTS + c.getValue());
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
