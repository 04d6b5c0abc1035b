package dev.jeton.store.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Wraps a data source to see, and to interfere with, what the store sends: every statement executed and every
 * commit and rollback is recorded (a round trip each with the PostgreSQL driver), {@link #beforeExecute} may
 * throw to simulate a failure at a chosen statement, and {@link #beforeCommit} and {@link #afterCommit} a failure
 * before or after the commit really happened (an answer lost on the way back).
 */
final class InterceptingDataSource implements DataSource {

    /** Called with the connection and the SQL before each statement runs; may throw. */
    @FunctionalInterface
    interface Hook {
        void before(Connection connection, String sql) throws SQLException;
    }

    private final DataSource delegate;
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile Hook beforeExecute = (c, sql) -> { };
    /** Called with the connection and "COMMIT" before each commit; may throw (then the commit is not sent). */
    volatile Hook beforeCommit = (c, sql) -> { };
    /** Called with the connection and "COMMIT" after each commit that succeeded; may throw. */
    volatile Hook afterCommit = (c, sql) -> { };

    InterceptingDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(delegate.getConnection(username, password));
    }

    private Connection wrap(Connection connection) {
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("commit") || name.equals("rollback")) {
                calls.add(name.toUpperCase());
            }
            if (name.equals("commit")) {
                beforeCommit.before(connection, "COMMIT");
                invoke(connection, method, args);
                afterCommit.before(connection, "COMMIT");
                return null;
            }
            Object result = invoke(connection, method, args);
            if (name.equals("prepareStatement") && result instanceof PreparedStatement statement) {
                return wrap(connection, statement, (String) args[0]);
            }
            return result;
        };
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                handler);
    }

    private PreparedStatement wrap(Connection connection, PreparedStatement statement, String sql) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().startsWith("execute")) {
                beforeExecute.before(connection, sql);
                calls.add(sql.strip().split("\\s+", 2)[0].toUpperCase() + " " + sql.replaceAll("\\s+", " "));
            }
            return invoke(statement, method, args);
        };
        return (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, handler);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return delegate.isWrapperFor(iface);
    }
}
