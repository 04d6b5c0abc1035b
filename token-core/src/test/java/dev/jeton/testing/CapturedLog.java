package dev.jeton.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the token-core tests' logging backend, slf4j-simple (INFO and above, to {@code System.err}, looked up on each
 * call), writes while this is open: {@code System.err} is teed into a buffer until {@link #close()}. Use from one test
 * thread at a time.
 */
public final class CapturedLog implements AutoCloseable {

    private final PrintStream original;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private CapturedLog() {
        original = System.err;
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                synchronized (captured) {
                    captured.write(b);
                }
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                original.write(bytes, offset, length);
                synchronized (captured) {
                    captured.write(bytes, offset, length);
                }
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    /** Starts capturing. */
    public static CapturedLog start() {
        return new CapturedLog();
    }

    /** The lines written so far. */
    public List<String> lines() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8).lines().toList();
        }
    }

    /** The lines logged at WARN by the named logger so far. */
    public List<String> warnings(Class<?> logger) {
        return lines().stream().filter(line -> line.contains(" WARN " + logger.getName() + " - ")).toList();
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
