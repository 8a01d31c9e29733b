package org.pgflow.util;

/**
 * Validation helpers with one message template each. Every range check is written as
 * {@code !(valid range)} so that NaN fails it. Messages name the field and the value:
 * {@code "gamma must be in [0, 1) but was NaN"}.
 */
public final class Checks {
    private Checks() {
    }

    /** @throws InvalidInputException unless {@code value} is finite */
    public static double finite(String field, double value) {
        if (!Double.isFinite(value)) {
            throw new InvalidInputException(field + " must be finite but was " + value);
        }
        return value;
    }

    /** @throws InvalidInputException unless {@code lo <= value <= hi} */
    public static double inClosed(String field, double value, double lo, double hi) {
        if (!(value >= lo && value <= hi)) {
            throw new InvalidInputException(field + " must be in [" + lo + ", " + hi + "] but was " + value);
        }
        return value;
    }

    /** @throws InvalidInputException unless {@code lo <= value < hi} */
    public static double inHalfOpen(String field, double value, double lo, double hi) {
        if (!(value >= lo && value < hi)) {
            throw new InvalidInputException(field + " must be in [" + lo + ", " + hi + ") but was " + value);
        }
        return value;
    }

    /** @throws InvalidInputException unless {@code value > 0} and finite */
    public static double positive(String field, double value) {
        if (!(value > 0 && value < Double.POSITIVE_INFINITY)) {
            throw new InvalidInputException(field + " must be positive and finite but was " + value);
        }
        return value;
    }

    /** @throws InvalidInputException unless {@code value >= 0} and finite */
    public static double nonNegative(String field, double value) {
        if (!(value >= 0 && value < Double.POSITIVE_INFINITY)) {
            throw new InvalidInputException(field + " must be >= 0 and finite but was " + value);
        }
        return value;
    }

    /** Longest name {@link #plainName} accepts. */
    public static final int MAX_NAME_LENGTH = 100;

    private static final java.util.regex.Pattern PLAIN_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_+=-][A-Za-z0-9._+=-]*");

    /**
     * A name that is used as one file or directory name (a run name): letters, digits and {@code . _ - + =},
     * not starting with a dot, at most {@link #MAX_NAME_LENGTH} characters; so never {@code ..}, a path or
     * a hidden file.
     *
     * @throws InvalidInputException naming the field and the value otherwise
     */
    public static String plainName(String field, String value) {
        if (value == null || value.length() > MAX_NAME_LENGTH || !PLAIN_NAME.matcher(value).matches()) {
            String shown = value == null ? "null" : value.length() > 60
                    ? "'" + value.substring(0, 60) + "…' (" + value.length() + " characters)" : "'" + value + "'";
            throw new InvalidInputException(field + " must be a plain file name (letters, digits and . _ - + =, not "
                    + "starting with '.', at most " + MAX_NAME_LENGTH + " characters) but was " + shown);
        }
        return value;
    }

    /**
     * @param text any text, e.g. a config file's base name used as the default run name
     * @return the nearest name {@link #plainName} accepts: other characters become {@code -}, leading dots are
     *         dropped, the length is cut at {@link #MAX_NAME_LENGTH}; {@code run} when nothing is left
     */
    public static String plainNameFrom(String text) {
        String s = text.replaceAll("[^A-Za-z0-9._+=-]", "-").replaceFirst("^\\.+", "");
        s = s.length() > MAX_NAME_LENGTH ? s.substring(0, MAX_NAME_LENGTH) : s;
        return s.isEmpty() ? "run" : s;
    }

    /** @throws InvalidInputException unless {@code lo <= value <= hi} */
    public static long inRange(String field, long value, long lo, long hi) {
        if (value < lo || value > hi) {
            throw new InvalidInputException(field + " must be in [" + lo + ", " + hi + "] but was " + value);
        }
        return value;
    }

    /**
     * Checks that every entry of {@code values} is finite.
     *
     * @throws NumericalDivergenceException naming {@code quantity[index]} on the first non-finite entry
     */
    public static void requireFinite(double[] values, String quantity, long iteration) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new NumericalDivergenceException(iteration, quantity + "[" + i + "]", String.valueOf(values[i]));
            }
        }
    }

    /** @throws NumericalDivergenceException if {@code value} is not finite */
    public static double requireFinite(double value, String quantity, long iteration) {
        if (!Double.isFinite(value)) {
            throw new NumericalDivergenceException(iteration, quantity, String.valueOf(value));
        }
        return value;
    }
}
