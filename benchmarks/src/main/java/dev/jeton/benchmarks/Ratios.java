package dev.jeton.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prints a JMH JSON result as one row per parameter set, with each benchmark's score and the ratios the project's
 * targets are stated in: how many times Jeton costs what each baseline of the same run costs. For average time
 * that is Jeton's score over the baseline's; for throughput (ops per time unit) the baseline's over Jeton's.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.jeton.benchmarks.Ratios jmh-access.json}
 */
public final class Ratios {

    private Ratios() {
    }

    private record Score(double score, double error, String unit, boolean throughput) {
    }

    public static void main(String[] args) throws IOException {
        JsonNode results = new ObjectMapper().readTree(new File(args[0]));
        Map<String, Map<String, Score>> rows = new TreeMap<>();
        for (JsonNode result : results) {
            String benchmark = result.get("benchmark").asText();
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            String clazz = benchmark.substring(0, benchmark.lastIndexOf('.'));
            clazz = clazz.substring(clazz.lastIndexOf('.') + 1);
            StringBuilder key = new StringBuilder(clazz);
            JsonNode params = result.get("params");
            if (params != null) {
                params.fields().forEachRemaining(e -> key.append(' ').append(e.getKey()).append('=')
                        .append(e.getValue().asText()));
            }
            JsonNode metric = result.get("primaryMetric");
            rows.computeIfAbsent(key.toString(), k -> new TreeMap<>()).put(method,
                    new Score(metric.get("score").asDouble(), metric.get("scoreError").asDouble(),
                            metric.get("scoreUnit").asText(), "thrpt".equals(result.get("mode").asText())));
        }
        for (Map.Entry<String, Map<String, Score>> row : rows.entrySet()) {
            System.out.println(row.getKey());
            Map<String, Score> m = row.getValue();
            m.forEach((name, s) -> System.out.printf("  %-22s %10.3f ± %.3f %s%n", name, s.score(), s.error(),
                    s.unit()));
            ratio(m, "jetonValidate", "rawVerify");
            ratio(m, "jetonValidate", "jjwtValidate");
            ratio(m, "jjwtValidate", "jetonValidate");
            ratio(m, "jetonIssue", "rawSign");
            ratio(m, "jetonIssue", "jjwtIssue");
            ratio(m, "jetonRefresh", "jetonIssue");
            ratio(m, "jetonRefresh", "rawRefresh");
            ratio(m, "jetonRefresh8Threads", "rawRefresh8Threads");
            ratio(m, "authorizedHttpClient", "bareHttpClient");
            ratio(m, "roundWithRefresh", "roundWithoutRefresh");
        }
    }

    /** Prints how many times {@code a} costs what {@code b} costs, naming the division actually made. */
    private static void ratio(Map<String, Score> m, String a, String b) {
        Score sa = m.get(a);
        Score sb = m.get(b);
        if (sa == null || sb == null) {
            return;
        }
        if (sa.throughput() != sb.throughput()) {
            throw new IllegalArgumentException(a + " and " + b + " were measured in different modes");
        }
        if (sa.throughput()) {
            System.out.printf("  %-40s %8.2fx%n", b + " / " + a, sb.score() / sa.score());
        } else {
            System.out.printf("  %-40s %8.2fx%n", a + " / " + b, sa.score() / sb.score());
        }
    }
}
