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
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Wraps a data source to see, and to interfere with, what the store sends: every statement executed, every commit and
 * rollback, and every change of the connection's commit mode or isolation is recorded (each a round trip with some
 * drivers), and the hooks may throw before or after a statement or commit really runs, to simulate a failure at a
 * chosen point: after it, the server has done the work and the answer is lost. A commit goes through the hooks as
 * the SQL {@code "COMMIT"}.
 */
final class InterceptingDataSource implements DataSource {

    /** Called with the connection and the SQL around each statement and commit; may throw. */
    @FunctionalInterface
    interface Hook {
        void on(Connection connection, String sql) throws SQLException;
    }

    private static final Set<String> RECORDED = Set.of("commit", "rollback", "setAutoCommit",
            "setTransactionIsolation");

    private final DataSource delegate;
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile Hook beforeExecute = (c, sql) -> { };
    volatile Hook afterExecute = (c, sql) -> { };

    InterceptingDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    /** A lost answer, as a driver reports a connection that broke: SQLSTATE 08006. */
    static SQLException connectionLost() {
        return new SQLException("injected: the connection broke before the answer came", "08006");
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
            if (RECORDED.contains(name)) {
                calls.add(name.toUpperCase() + (args == null ? "" : " " + args[0]));
            }
            if (name.equals("commit")) {
                beforeExecute.on(connection, "COMMIT");
                Object result = invoke(connection, method, args);
                afterExecute.on(connection, "COMMIT");
                return result;
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
            if (!method.getName().startsWith("execute")) {
                return invoke(statement, method, args);
            }
            beforeExecute.on(connection, sql);
            calls.add(sql.strip().split("\\s+", 2)[0].toUpperCase() + " " + sql.replaceAll("\\s+", " "));
            Object result = invoke(statement, method, args);
            afterExecute.on(connection, sql);
            return result;
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
