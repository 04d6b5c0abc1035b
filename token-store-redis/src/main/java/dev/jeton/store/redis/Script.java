package dev.jeton.store.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts of the store, one per atomic step, each the shared {@code common.lua} followed by its own text, and
 * the SHA-1 digest Redis knows it by ({@code EVALSHA}).
 */
enum Script {
    CREATE("create"),
    ROTATE("rotate"),
    CLAIM("claim"),
    SLIDE("slide"),
    REVOKE("revoke"),
    DENY("deny"),
    INDEX("index"),
    PURGE("purge");

    final String body;
    final String sha;

    Script(String name) {
        this.body = resource("common") + "\n" + resource(name);
        this.sha = sha1(body);
    }

    private static String resource(String name) {
        try (InputStream in = Script.class.getResourceAsStream(name + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("the script " + name + ".lua is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the script " + name + ".lua", e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JDK", e);
        }
    }
}
