package org.pgflow.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * Numbers as the report's tables and captions show them: integral values without a decimal point
 * ({@code 400}), others to {@value #DIGITS} significant digits without trailing zeros ({@code 0.01312},
 * {@code 3.6}), in scientific notation when {@code |x| < 1e-3} or {@code |x| ≥ 1e6} ({@code 2.5e-7},
 * {@code 1.235e6}), and a dash ({@value #NONE}) for NaN and blanks.
 */
final class ReportNumbers {
    /** Significant digits of a non-integral number. */
    static final int DIGITS = 4;
    /** What a missing value shows as. */
    static final String NONE = "–";

    private ReportNumbers() {
    }

    /**
     * @param x a number
     * @return its table form
     */
    static String format(double x) {
        if (Double.isNaN(x)) {
            return NONE;
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "∞" : "−∞";
        }
        if (x == 0) {
            return "0";
        }
        double a = Math.abs(x);
        if (x == Math.rint(x) && a < 1e15) {
            return Long.toString((long) x);
        }
        if (a >= 1e-3 && a < 1e6) {
            return new BigDecimal(x).round(new MathContext(DIGITS)).stripTrailingZeros().toPlainString();
        }
        String s = String.format(Locale.ROOT, "%." + (DIGITS - 1) + "e", x);
        int e = s.indexOf('e');
        String mantissa = s.substring(0, e).replaceAll("\\.?0+$", "");
        return mantissa + "e" + Integer.parseInt(s.substring(e + 1));
    }

    /**
     * A table cell of a JSON value: integral numbers verbatim (seeds, counts), other numbers as
     * {@link #format(double)}, null, blank text and {@code "NaN"} as {@value #NONE}, {@code "Infinity"} as ∞, an instant
     * to the second ({@code 2026-12-01T22:47:42Z}), other text verbatim (a git commit).
     *
     * @param v the value
     * @return its table form
     */
    static String cell(JsonNode v) {
        if (v == null || v.isNull()) {
            return NONE;
        }
        if (v.isIntegralNumber()) {
            return v.asText();
        }
        if (v.isNumber()) {
            return format(v.asDouble());
        }
        String t = v.asText().strip();
        return switch (t) {
            case "", "NaN" -> NONE;
            case "Infinity", "-Infinity" -> format(Double.parseDouble(t));
            default -> t.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z")
                    ? t.replaceFirst("\\.\\d+Z$", "Z") : v.asText(); // an instant to the second
        };
    }
}
