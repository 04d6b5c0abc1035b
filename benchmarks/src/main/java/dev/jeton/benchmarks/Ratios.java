package dev.jeton.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prints a JMH JSON result (average time) as one row per parameter set, with each benchmark's score and the ratios
 * the project's targets are stated in: Jeton over each baseline of the same run.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.jeton.benchmarks.Ratios jmh-access.json}
 */
public final class Ratios {

    private Ratios() {
    }

    public static void main(String[] args) throws IOException {
        JsonNode results = new ObjectMapper().readTree(new File(args[0]));
        Map<String, Map<String, double[]>> rows = new TreeMap<>();
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
                    new double[] {metric.get("score").asDouble(), metric.get("scoreError").asDouble()});
        }
        for (Map.Entry<String, Map<String, double[]>> row : rows.entrySet()) {
            System.out.println(row.getKey());
            Map<String, double[]> m = row.getValue();
            m.forEach((name, score) -> System.out.printf("  %-22s %10.3f ± %.3f%n", name, score[0], score[1]));
            ratio(m, "jetonValidate", "rawVerify");
            ratio(m, "jetonValidate", "jjwtValidate");
            ratio(m, "jjwtValidate", "jetonValidate");
            ratio(m, "jetonIssue", "rawSign");
            ratio(m, "jetonIssue", "jjwtIssue");
            ratio(m, "jetonRefresh", "jetonIssue");
            ratio(m, "jetonRefresh", "rawRefresh");
        }
    }

    private static void ratio(Map<String, double[]> m, String a, String b) {
        if (m.containsKey(a) && m.containsKey(b)) {
            System.out.printf("  %-40s %8.2fx%n", a + " / " + b, m.get(a)[0] / m.get(b)[0]);
        }
    }
}
