package org.pgflow.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The report's number formatter: integral values bare, four significant digits, scientific at the ends. */
class ReportNumbersTest {
    static Stream<Arguments> numbers() {
        return Stream.of(
                Arguments.of(400.0, "400"),
                Arguments.of(0.0, "0"),
                Arguments.of(-0.0, "0"),
                Arguments.of(-3.0, "-3"),
                Arguments.of(20000.0, "20000"),
                Arguments.of(2_000_000.0, "2000000"),
                Arguments.of(0.5, "0.5"),
                Arguments.of(3.6, "3.6"),
                Arguments.of(6.190014114589687, "6.19"),
                Arguments.of(6.200547814587926, "6.201"),
                Arguments.of(0.010533699998239499, "0.01053"),
                Arguments.of(-0.010533699998239499, "-0.01053"),
                Arguments.of(1234.5678, "1235"),
                Arguments.of(999.96, "1000"),
                Arguments.of(0.001, "0.001"),
                Arguments.of(0.0009995, "9.995e-4"),
                Arguments.of(0.0008004581190520026, "8.005e-4"),
                Arguments.of(2.5e-7, "2.5e-7"),
                Arguments.of(-1.23456e-12, "-1.235e-12"),
                Arguments.of(1234567.8, "1.235e6"),
                Arguments.of(3.0e20, "3e20"),
                Arguments.of(Double.NaN, "–"),
                Arguments.of(Double.POSITIVE_INFINITY, "∞"),
                Arguments.of(Double.NEGATIVE_INFINITY, "−∞"));
    }

    @ParameterizedTest
    @MethodSource("numbers")
    void formatsNumbers(double x, String expected) {
        assertEquals(expected, ReportNumbers.format(x));
    }

    @Test
    void formatsJsonCells() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        assertEquals("400", ReportNumbers.cell(f.numberNode(400.0)));
        assertEquals("12345678901234567", ReportNumbers.cell(f.numberNode(12345678901234567L)), "integral JSON verbatim");
        assertEquals("0.01053", ReportNumbers.cell(f.numberNode(0.010533699998239499)));
        assertEquals("–", ReportNumbers.cell(f.textNode("NaN")));
        assertEquals("–", ReportNumbers.cell(f.textNode(" ")));
        assertEquals("–", ReportNumbers.cell(f.nullNode()));
        assertEquals("–", ReportNumbers.cell(null));
        assertEquals("∞", ReportNumbers.cell(f.textNode("Infinity")));
        assertEquals("1e37848c48ba", ReportNumbers.cell(f.textNode("1e37848c48ba")), "text verbatim");
        assertEquals("2026-12-01T22:47:42Z", ReportNumbers.cell(f.textNode("2026-12-01T22:47:42Z")));
        assertEquals("2026-12-01T22:47:42Z", ReportNumbers.cell(f.textNode("2026-12-01T22:47:42.664333056Z")));
        assertEquals("true", ReportNumbers.cell(f.booleanNode(true)));
    }
}
