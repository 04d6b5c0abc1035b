package dev.jeton.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The smallest server the client benchmarks need, on the JDK's HTTP server bound to loopback: {@code /api} answers
 * 200 with a short JSON body to anyone, {@code /token} answers every grant with a new access token (one hour) and
 * a new refresh token, and counts the grants. It checks nothing: the benchmarks measure the client.
 */
final class LoopbackServer implements AutoCloseable {

    private static final byte[] API_BODY = "{\"sub\":\"alice\"}".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicInteger grants = new AtomicInteger();

    LoopbackServer(int threads) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        executor = Executors.newFixedThreadPool(threads);
        server.setExecutor(executor);
        server.createContext("/api", exchange -> reply(exchange, API_BODY));
        server.createContext("/token", exchange -> {
            exchange.getRequestBody().readAllBytes();
            int n = grants.incrementAndGet();
            reply(exchange, ("{\"access_token\":\"at-" + n + "\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
                    + "\"refresh_token\":\"rt-" + n + "\"}").getBytes(StandardCharsets.UTF_8));
        });
        server.start();
    }

    private static void reply(HttpExchange exchange, byte[] body) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** How many token requests arrived so far. */
    int grants() {
        return grants.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
