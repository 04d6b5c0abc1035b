package dev.jeton.security;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J 2 backend of this module's tests, registered in {@code META-INF/services}: every logger is enabled at
 * every level, TRACE and DEBUG included, so that whatever the library would log in any configuration is seen. While
 * {@link #capture()} is on, each call is kept as a {@link LogRecord}; INFO and above are also printed to stderr, as
 * slf4j-simple (which this module's tests therefore do not use) would.
 */
public final class CapturingSlf4jProvider implements SLF4JServiceProvider {

    /** One logging call: level, logger, the pattern, its arguments, the formatted message and the throwable. */
    public record LogRecord(Level level, String logger, String pattern, List<Object> arguments, String message,
                            Throwable throwable) {
    }

    private static final List<LogRecord> RECORDS = new ArrayList<>();
    private static volatile boolean capturing;
    private static volatile boolean silenced;

    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final ILoggerFactory factory = name -> loggers.computeIfAbsent(name, CapturingLogger::new);
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new BasicMDCAdapter();

    /** Starts keeping records, dropping earlier ones. */
    public static void capture() {
        synchronized (RECORDS) {
            RECORDS.clear();
            capturing = true;
        }
    }

    /** Stops keeping records and returns those kept since {@link #capture()}. */
    public static List<LogRecord> stop() {
        synchronized (RECORDS) {
            capturing = false;
            List<LogRecord> kept = List.copyOf(RECORDS);
            RECORDS.clear();
            return kept;
        }
    }

    /** Stops (or resumes) printing INFO and above, for load tests that log a warning per detected reuse. */
    public static void silence(boolean silence) {
        silenced = silence;
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
    }

    private static final class CapturingLogger extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;

        CapturingLogger(String name) {
            this.name = name;
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                                   Throwable throwable) {
            String message = MessageFormatter.basicArrayFormat(pattern, arguments);
            if (capturing) {
                synchronized (RECORDS) {
                    if (capturing) {
                        RECORDS.add(new LogRecord(level, name, pattern,
                                arguments == null ? List.of() : java.util.Arrays.asList(arguments.clone()), message,
                                throwable));
                    }
                }
            }
            if (level.toInt() >= Level.INFO.toInt() && !silenced) {
                PrintStream err = System.err;
                err.println("[" + Thread.currentThread().getName() + "] " + level + " " + name + " - " + message);
                if (throwable != null) {
                    throwable.printStackTrace(err);
                }
            }
        }

        @Override
        public boolean isTraceEnabled() {
            return true;
        }

        @Override
        public boolean isTraceEnabled(Marker marker) {
            return true;
        }

        @Override
        public boolean isDebugEnabled() {
            return true;
        }

        @Override
        public boolean isDebugEnabled(Marker marker) {
            return true;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isInfoEnabled(Marker marker) {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled(Marker marker) {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled(Marker marker) {
            return true;
        }
    }
}
