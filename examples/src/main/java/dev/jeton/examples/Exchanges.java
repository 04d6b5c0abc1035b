package dev.jeton.examples;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Reading requests and writing responses on the JDK's HTTP server, with the limits a token endpoint needs. */
final class Exchanges {

    /** The largest request body read; a token request is a few hundred bytes. */
    static final int MAX_BODY_BYTES = 8 * 1024;

    private Exchanges() {
    }

    /** A request the endpoint refuses, with its HTTP status and OAuth error. */
    static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final String error;
        final String description;

        BadRequest(int status, String error, String description) {
            super(error + ": " + description, null, false, false);
            this.status = status;
            this.error = error;
            this.description = description;
        }
    }

    static void requireMethod(HttpExchange exchange, String method) throws BadRequest {
        if (!exchange.getRequestMethod().equals(method)) {
            exchange.getResponseHeaders().set("Allow", method);
            throw new BadRequest(405, "invalid_request", "use " + method);
        }
    }

    /**
     * The form parameters of a POST (RFC 6749 §3.2): {@code application/x-www-form-urlencoded}, at most
     * {@link #MAX_BODY_BYTES}, each parameter at most once.
     */
    static Map<String, String> form(HttpExchange exchange) throws BadRequest, IOException {
        requireMethod(exchange, "POST");
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).split(";")[0].strip()
                .equals("application/x-www-form-urlencoded")) {
            throw new BadRequest(400, "invalid_request", "the body must be application/x-www-form-urlencoded");
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new BadRequest(413, "invalid_request", "the body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        Map<String, String> form = new LinkedHashMap<>();
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return form;
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new BadRequest(400, "invalid_request", "the body is not valid form encoding");
            }
            if (form.putIfAbsent(name, value) != null) {
                throw new BadRequest(400, "invalid_request", "parameter '" + name + "' appears more than once");
            }
        }
        return form;
    }

    static String required(Map<String, String> form, String name) throws BadRequest {
        String value = form.get(name);
        if (value == null || value.isEmpty()) {
            throw new BadRequest(400, "invalid_request", "missing parameter '" + name + "'");
        }
        return value;
    }

    static void sendJson(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("Pragma", "no-cache");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static void sendEmpty(HttpExchange exchange, int status) throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    static void sendError(HttpExchange exchange, int status, String error, String description) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        sendJson(exchange, status, JsonText.of(body));
    }
}
