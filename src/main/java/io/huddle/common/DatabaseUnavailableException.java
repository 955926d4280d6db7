package io.huddle.common;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** PostgreSQL cannot be reached: the client gets 503 with {@code Retry-After}, never a 500. */
public class DatabaseUnavailableException extends RuntimeException {
  public DatabaseUnavailableException(Throwable cause) {
    super("The database is unavailable", cause);
  }

  /**
   * Whether a failure comes from not reaching PostgreSQL (no connection, a connection lost, the
   * pool timing out waiting for one) rather than from the statement itself.
   */
  public static boolean isCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof DatabaseUnavailableException
          || t instanceof SQLTransientConnectionException
          || t instanceof ConnectException
          || t instanceof org.hibernate.exception.JDBCConnectionException) {
        return true;
      }
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        String message = String.valueOf(sql.getMessage());
        // 08: connection exceptions; 57P01-57P03: the server is shutting down or starting.
        if ((state != null && (state.startsWith("08") || state.startsWith("57P")))
            || message.contains("Acquisition timeout")) {
          return true;
        }
      }
    }
    return false;
  }
}
