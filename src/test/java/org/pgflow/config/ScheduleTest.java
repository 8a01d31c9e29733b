package org.pgflow.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pgflow.util.InvalidInputException;

/**
 * Annealing schedules (docs/algorithms.md §2.12): values at given times against hand-computed closed forms (tolerance 1e-15
 * relative: each is one or two floating-point operations from the literal), {@code max()}, the config form
 * (parse, round trip, reading through {@link ConfigTree}) and rejection of invalid specs naming the key.
 */
class ScheduleTest {
    private static final double TOL = 1e-15;

    private static JsonNode yaml(String text) {
        return org.pgflow.util.StrictYaml.readValue(text, "test");
    }

    private static Schedule parse(String text) {
        return Schedule.parse(yaml(text), "meanfield.tau", 0, 1e6);
    }

    @Test
    void constant() {
        Schedule s = parse("0.5");
        assertEquals(new Schedule.Constant(0.5), s);
        assertEquals(0.5, s.value(0));
        assertEquals(0.5, s.value(1e9));
        assertEquals(0.5, s.max());
        assertTrue(s.isConstant());
        assertEquals(s, parse("{schedule: constant, start: 0.5}"));
    }

    @Test
    void exponential() {
        Schedule s = parse("{schedule: exponential, start: 1.0, floor: 0.1, timeScale: 50}");
        assertEquals(new Schedule.Exponential(1.0, 0.1, 50), s);
        assertEquals(1.0, s.value(0), TOL);
        // 0.1 + 0.9 e^{-1}, 0.1 + 0.9 e^{-2}
        assertEquals(0.43109149705429811, s.value(50), TOL);
        assertEquals(0.22180175491295143, s.value(100), TOL);
        assertEquals(s.value(50), s.at(1000, 0.05), TOL, "t = kΔt");
        assertEquals(0.1, s.value(1e6), TOL);
        assertEquals(1.0, s.max());
        assertEquals(new Schedule.Exponential(1.0, 0.0, 50), parse("{schedule: exponential, start: 1.0, timeScale: 50}"),
                "floor defaults to 0");
        assertEquals(0.4, new Schedule.Exponential(0.1, 0.4, 5).max(), "a rising schedule's sup is its floor");
    }

    @Test
    void power() {
        Schedule s = parse("{schedule: power, start: 1.0, floor: 0.05, timeScale: 10, exponent: 0.5}");
        assertEquals(1.0, s.value(0), TOL);
        assertEquals(0.05 + 0.95 * 0.5, s.value(30), TOL);                      // (1 + 3)^{-1/2} = 1/2
        assertEquals(0.05 + 0.95 * 0.31622776601683794, s.value(90), TOL);      // 10^{-1/2}
        assertEquals(1.0, s.max());
    }

    @Test
    void log() {
        Schedule s = parse("{schedule: log, start: 1.0, floor: 0.3, timeScale: 2}");
        assertEquals(1.0, s.value(0), TOL);                                     // ln e = 1
        assertEquals(0.5, s.value(2 * (Math.exp(4) - Math.E)), 1e-14);         // 1/sqrt(4)
        assertEquals(1 / Math.sqrt(2), s.value(2 * (Math.exp(2) - Math.E)), 1e-14);
        assertEquals(0.3, s.value(2 * (Math.exp(16) - Math.E)), TOL);           // 1/4 < floor
        assertEquals(1.0, s.max());
    }

    @Test
    void steps() {
        Schedule s = parse("{schedule: steps, start: 1.0, steps: [[50, 0.5], [100, 0.1]]}");
        assertEquals(1.0, s.value(0));
        assertEquals(1.0, s.value(49.999));
        assertEquals(0.5, s.value(50));
        assertEquals(0.5, s.value(99.999));
        assertEquals(0.1, s.value(100));
        assertEquals(0.1, s.value(1e12));
        assertEquals(1.0, s.max());
        assertEquals(s, parse("{schedule: steps, start: 1.0, steps: [{time: 50, value: 0.5}, {time: 100, value: 0.1}]}"));
        Schedule up = parse("{schedule: steps, start: 0.2, steps: [[0, 0.3], [10, 2.0], [20, 0.1]]}");
        assertEquals(0.3, up.value(0), "a step at t = 0 replaces the start");
        assertEquals(2.0, up.max());
    }

    @Test
    void roundTripThroughJson() {
        for (String text : List.of("0.25", "{schedule: exponential, start: 1.0, floor: 0.1, timeScale: 50}",
                "{schedule: power, start: 2.0, floor: 0.0, timeScale: 3, exponent: 1.5}",
                "{schedule: log, start: 1.0, floor: 0.2, timeScale: 1}",
                "{schedule: steps, start: 1.0, steps: [[5, 0.5]]}")) {
            Schedule s = parse(text);
            assertEquals(s, Schedule.parse(s.toJson(), "k"), text);
        }
        assertTrue(parse("0.25").toJson().isNumber(), "a constant is written as a plain number");
    }

    @Test
    void readThroughConfigTree() {
        ObjectNode root = (ObjectNode) yaml("meanfield: {tau: {schedule: exponential, start: 1.0, timeScale: 50}}");
        ConfigTree t = ConfigTree.of(root);
        t.set("meanfield.tau.floor=0.05");
        Schedule tau = Schedule.read(t, "meanfield.tau", 0.5, 0, 1e6);
        Schedule sigma = Schedule.read(t, "meanfield.sigma", 0.3, 0, 1e3);
        t.rejectUnknown(); // the sub-keys count as read
        assertEquals(new Schedule.Exponential(1.0, 0.05, 50), tau);
        assertEquals(Schedule.constant(0.3), sigma);
        assertEquals("exponential", t.resolved().get("meanfield").get("tau").get("schedule").asText());
        assertEquals(0.3, t.resolved().get("meanfield").get("sigma").doubleValue());
    }

    private static void rejects(String text, String... fragments) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> parse(text), text);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' should contain '" + f + "'");
        }
    }

    @Test
    void invalidSpecsNameTheKey() {
        rejects("{schedule: exponential, start: 1.0, timeScale: -1}", "meanfield.tau.timeScale must be > 0 but was -1.0");
        rejects("{schedule: log, start: 1.0, timeScale: 0}", "meanfield.tau.timeScale must be > 0 but was 0.0");
        rejects("{schedule: power, start: 1.0, timeScale: 1, exponent: 0}", "meanfield.tau.exponent must be > 0");
        rejects("{schedule: power, start: 1.0, timeScale: 1}", "meanfield.tau.exponent is required");
        rejects("{schedule: exponential, start: 1.0}", "meanfield.tau.timeScale is required");
        rejects("{schedule: exponential, timeScale: 1}", "meanfield.tau.start is required");
        rejects("{schedule: exponential, start: 1.0, floor: -0.1, timeScale: 1}", "meanfield.tau.floor", "-0.1");
        rejects("{schedule: exponential, start: -1, timeScale: 1}", "meanfield.tau.start", "-1.0");
        rejects("{schedule: exponential, start: 2e6, timeScale: 1}", "meanfield.tau.start", "2000000.0");
        rejects("-0.5", "meanfield.tau must be in [0.0, 1000000.0] but was -0.5");
        rejects("fast", "meanfield.tau must be a number or a schedule mapping");
        rejects("{schedule: cosine, start: 1}", "meanfield.tau.schedule", "cosine");
        rejects("{start: 1}", "meanfield.tau.schedule must be one of");
        rejects("{schedule: exponential, start: 1.0, timeScale: 5, timescale: 5}", "unknown key meanfield.tau.timescale");
        rejects("{schedule: exponential, start: 1.0, timeScale: 5, exponent: 2}", "meanfield.tau.exponent",
                "schedule exponential");
        rejects("{schedule: constant, start: 1.0, floor: 0}", "meanfield.tau.floor");
        rejects("{schedule: exponential, start: 1.0, timeScale: abc}", "meanfield.tau.timeScale must be a number");
        rejects("{schedule: steps, start: 1.0}", "meanfield.tau.steps must be a non-empty list");
        rejects("{schedule: steps, start: 1.0, steps: [[50, 0.5], [50, 0.1]]}", "meanfield.tau.steps[1] time must be >");
        rejects("{schedule: steps, start: 1.0, steps: [[-1, 0.5]]}", "meanfield.tau.steps[0] time must be >= 0");
        rejects("{schedule: steps, start: 1.0, steps: [[1, -0.5]]}", "meanfield.tau.steps[0] value");
        rejects("{schedule: steps, start: 1.0, steps: [[1, 0.5, 2]]}", "meanfield.tau.steps[0] must be a pair");
        assertThrows(IllegalArgumentException.class, () -> Schedule.constant(1).value(-1), "negative time");
        assertThrows(IllegalArgumentException.class, () -> Schedule.constant(1).value(Double.NaN), "NaN time");
    }
}
