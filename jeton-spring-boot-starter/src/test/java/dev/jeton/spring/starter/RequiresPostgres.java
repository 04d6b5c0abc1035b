package dev.jeton.spring.starter;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class only when PostgreSQL answers, before Spring starts an application on it. When it does not, the
 * class is skipped with a message, except under {@code JETON_REQUIRE_RESOURCES=true} (as {@code .ci/run} sets it),
 * where that is a failure.
 */
final class RequiresPostgres implements ExecutionCondition {

    static final String URL = env("JETON_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = env("JETON_PG_USER", "postgres");
    static final String PASSWORD = env("JETON_PG_PASSWORD", "");

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        DriverManager.setLoginTimeout(3);
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD)) {
            connection.isValid(3);
            return ConditionEvaluationResult.enabled("PostgreSQL answers at " + URL);
        } catch (SQLException e) {
            String message = "PostgreSQL is not reachable at " + URL + " (" + e.getSQLState() + "): ";
            if ("true".equals(System.getenv("JETON_REQUIRE_RESOURCES"))) {
                throw new AssertionError(message + "JETON_REQUIRE_RESOURCES=true requires it; start it (see .ci/run)",
                        e);
            }
            return ConditionEvaluationResult.disabled(message
                    + "skipping; set JETON_REQUIRE_RESOURCES=true to make this a failure");
        }
    }
}
