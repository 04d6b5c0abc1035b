package dev.jeton.store.jdbc;

import dev.jeton.TokenStoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The DDL a {@link JdbcTokenStore} ships per dialect ({@link Dialect#schemaResource()}): read, and run. */
final class Schema {

    private Schema() {
    }

    /** The statements of the dialect's script, for a table prefix already checked. */
    static List<String> statements(Dialect dialect, String tablePrefix) {
        String script;
        // Through the class, not its loader: on the module path a class loader finds no resource in this module's
        // package, which is not open; the module's own classes always do.
        try (InputStream in = Schema.class.getResourceAsStream("/" + dialect.schemaResource())) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + dialect.schemaResource());
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + dialect.schemaResource(), e);
        }
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            if (line.strip().startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (line.strip().endsWith(";")) {
                String statement = current.toString().strip();
                statements.add(statement.substring(0, statement.length() - 1).replace("${prefix}", tablePrefix));
                current.setLength(0);
            }
        }
        return List.copyOf(statements);
    }

    /** Runs the script; its statements create only what is missing, so running it again is safe. */
    static void create(Transactions transactions, Dialect dialect, String tablePrefix) {
        transactions.run("creating the schema", (c, attempt) -> {
            try (Statement statement = c.createStatement()) {
                for (String ddl : statements(dialect, tablePrefix)) {
                    attempt.writing();
                    statement.execute(ddl);
                    attempt.wrote(true);
                }
            }
            return null;
        }, failed -> {
            throw TokenStoreException.withUnknownOutcome("creating the schema failed (SQLState "
                    + failed.getSQLState() + ") after some of its statements ran; running the script again is safe",
                    failed);
        });
    }
}
