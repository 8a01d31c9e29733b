package org.pgflow.config;

import org.pgflow.util.InvalidInputException;

/**
 * The accepted range of one numeric config key, shared by the key's reader ({@link ConfigTree}) and the compact
 * constructor of the record that holds it, so that both speak of the key and the range in the same words
 * ({@code meanfield.dt must be in (0, 1.7976931348623157E308] but was NaN}).
 *
 * @param key      the dotted key
 * @param lo       smallest value ({@code [lo, hi]}); 0, excluded, for {@link #positive}
 * @param hi       largest value
 * @param integral an integer key (bounds written as integers)
 * @param open     {@code lo} is excluded ({@code (0, hi]})
 */
record Range(String key, double lo, double hi, boolean integral, boolean open) {
    /** @return {@code [lo, hi]} */
    static Range closed(String key, double lo, double hi) {
        return new Range(key, lo, hi, false, false);
    }

    /** @return {@code (0, hi]} */
    static Range positive(String key, double hi) {
        return new Range(key, 0, hi, false, true);
    }

    /** @return the integers {@code [lo, hi]} */
    static Range integer(String key, long lo, long hi) {
        return new Range(key, lo, hi, true, false);
    }

    /** Reads the key ({@code def} when absent) and checks it. */
    double read(ConfigTree t, double def) {
        return open ? t.getPositive(key, def, hi) : t.getDouble(key, def, lo, hi);
    }

    /** Reads the integer key ({@code def} when absent) and checks it. */
    long readLong(ConfigTree t, long def) {
        return t.getLong(key, def, (long) lo, (long) hi);
    }

    /** Reads the integer key ({@code def} when absent) and checks it. */
    int readInt(ConfigTree t, int def) {
        return t.getInt(key, def, (int) lo, (int) hi);
    }

    /**
     * @return {@code v}
     * @throws InvalidInputException naming the key, the range and the value unless {@code v} is in range (NaN never is)
     */
    double check(double v) {
        if (!((open ? v > lo : v >= lo) && v <= hi)) {
            throw new InvalidInputException(key + " must be in " + this + " but was " + v);
        }
        return v;
    }

    /**
     * @return {@code v}
     * @throws InvalidInputException naming the key, the range and the value unless {@code v} is in range
     */
    long check(long v) {
        if (v < lo || v > hi) {
            throw new InvalidInputException(key + " must be in " + this + " but was " + v);
        }
        return v;
    }

    /** @return {@code v} as an int, checked */
    int check(int v) {
        return (int) check((long) v);
    }

    /** @return the range as the readers write it: {@code [lo, hi]}, {@code (0, hi]} */
    @Override
    public String toString() {
        return integral ? "[" + (long) lo + ", " + (long) hi + "]" : open ? "(0, " + hi + "]" : "[" + lo + ", " + hi + "]";
    }
}
