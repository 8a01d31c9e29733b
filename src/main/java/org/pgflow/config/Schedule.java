package org.pgflow.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.pgflow.util.InvalidInputException;

/**
 * A schedule {@code x_t} of simulated time {@code t = kΔt ≥ 0} for an annealed constant such as the entropy
 * strength τ or the noise σ (docs/algorithms.md §2.12). With start {@code x_0 ≥ 0}, floor {@code x_∞ ≥ 0} and time scale
 * {@code T > 0}:
 * <pre>
 *   constant     x_t = x_0
 *   exponential  x_t = x_∞ + (x_0 − x_∞) e^{−t/T}
 *   power        x_t = x_∞ + (x_0 − x_∞) (1 + t/T)^{−p}                 p > 0
 *   log          x_t = max(x_∞, x_0 / sqrt(ln(e + t/T)))                  (σ_t² ∝ 1/ln t)
 *   steps        x_t = x_0 for t &lt; t_1,  x_i for t_i ≤ t &lt; t_{i+1}    0 ≤ t_1 &lt; t_2 &lt; …
 * </pre>
 * Every kind starts at {@code x_0} ({@code value(0) = x_0}, except {@code steps} with {@code t_1 = 0}) and
 * {@link #max()} is {@code sup_{t≥0} x_t}: {@code max(x_0, x_∞)} for the three monotone kinds,
 * {@code max(x_0, x_1, …)} for steps. The stability check {@code Δt (σ²/2) λ_U < 1} of docs/algorithms.md §2.6 uses
 * {@code σ.max()}.
 *
 * <p><b>Config form</b> ({@link #parse}): a plain number is a constant; otherwise a mapping
 * <pre>
 *   tau: 0.5
 *   tau: {schedule: exponential, start: 1.0, floor: 0.0, timeScale: 50}
 *   tau: {schedule: power, start: 1.0, floor: 0.05, timeScale: 10, exponent: 0.5}
 *   sigma: {schedule: log, start: 1.0, floor: 0.1, timeScale: 1}
 *   tau: {schedule: steps, start: 1.0, steps: [[50, 0.5], [100, 0.1]]}      (or [{time: 50, value: 0.5}, …])
 * </pre>
 * {@code floor} is optional (default 0) for exponential, power and log; every other listed sub-key is
 * required; a sub-key the kind does not use is rejected, naming it. Messages name the full key, e.g.
 * {@code "meanfield.tau.timeScale must be > 0 but was -1.0"}. {@link #toJson()} writes the same form back
 * (a constant as a plain number, so resolved configs of unannealed runs are unchanged).
 *
 * <p>Implementations are immutable records (Kryo- and Java-serialisable); {@link Steps} copies its arrays.
 */
public sealed interface Schedule extends Serializable permits Schedule.Constant, Schedule.Decaying, Schedule.Steps {

    /** The kind names accepted under {@code schedule:}. */
    List<String> KINDS = List.of("constant", "exponential", "power", "log", "steps");

    /**
     * @param t simulated time {@code kΔt}, ≥ 0
     * @return {@code x_t}
     * @throws IllegalArgumentException if t is negative or NaN
     */
    double value(double t);

    /** @return {@code sup_{t ≥ 0} x_t} */
    double max();

    /** @return the kind name ({@link #KINDS}) */
    String kind();

    /** @return the config form: a number for a constant, else a mapping (see the class comment) */
    JsonNode toJson();

    /** @return whether {@code x_t} is the same for every t (then per-iteration recomputation can be skipped) */
    default boolean isConstant() {
        return false;
    }

    /**
     * @param k  iteration
     * @param dt time step Δt (1 for loops whose clock is the iteration count)
     * @return {@code x_{kΔt}}
     */
    default double at(long k, double dt) {
        return value(k * dt);
    }

    /** @return a constant schedule {@code x_t = value} */
    static Schedule constant(double value) {
        return new Constant(value);
    }

    /**
     * {@code x_t = x_0}.
     *
     * @param start {@code x_0 ≥ 0}, finite
     */
    record Constant(double start) implements Schedule {
        /** Validates. */
        public Constant {
            ScheduleChecks.nonNegative("start", start);
        }

        @Override
        public double value(double t) {
            ScheduleChecks.time(t);
            return start;
        }

        @Override
        public double max() {
            return start;
        }

        @Override
        public String kind() {
            return "constant";
        }

        @Override
        public boolean isConstant() {
            return true;
        }

        @Override
        public JsonNode toJson() {
            return JsonNodeFactory.instance.numberNode(start);
        }
    }

    /**
     * The kinds that move monotonically from the start {@code x_0} to the floor {@code x_∞} on the time scale
     * {@code T}: their sup is {@code max(x_0, x_∞)}, and their config form lists start, floor and time scale.
     */
    sealed interface Decaying extends Schedule permits Exponential, Power, Log {
        /** @return {@code x_0 ≥ 0} */
        double start();

        /** @return {@code x_∞ ≥ 0} */
        double floor();

        /** @return {@code T > 0} */
        double timeScale();

        @Override
        default double max() {
            return Math.max(start(), floor());
        }

        @Override
        default JsonNode toJson() {
            return ScheduleChecks.decaying(this);
        }
    }

    /**
     * {@code x_t = x_∞ + (x_0 − x_∞) e^{−t/T}}.
     *
     * @param start     {@code x_0 ≥ 0}
     * @param floor     {@code x_∞ ≥ 0}
     * @param timeScale {@code T > 0}
     */
    record Exponential(double start, double floor, double timeScale) implements Decaying {
        /** Validates. */
        public Exponential {
            ScheduleChecks.decaying(start, floor, timeScale);
        }

        @Override
        public double value(double t) {
            ScheduleChecks.time(t);
            return floor + (start - floor) * Math.exp(-t / timeScale);
        }

        @Override
        public String kind() {
            return "exponential";
        }
    }

    /**
     * {@code x_t = x_∞ + (x_0 − x_∞) (1 + t/T)^{−p}}.
     *
     * @param start     {@code x_0 ≥ 0}
     * @param floor     {@code x_∞ ≥ 0}
     * @param timeScale {@code T > 0}
     * @param exponent  {@code p > 0}
     */
    record Power(double start, double floor, double timeScale, double exponent) implements Decaying {
        /** Validates. */
        public Power {
            ScheduleChecks.decaying(start, floor, timeScale);
            ScheduleChecks.positive("exponent", exponent);
        }

        @Override
        public double value(double t) {
            ScheduleChecks.time(t);
            return floor + (start - floor) * Math.pow(1 + t / timeScale, -exponent);
        }

        @Override
        public String kind() {
            return "power";
        }

        @Override
        public JsonNode toJson() {
            return ScheduleChecks.decaying(this).put("exponent", exponent);
        }
    }

    /**
     * {@code x_t = max(x_∞, x_0 / sqrt(ln(e + t/T)))}: the {@code 1/ln t} temperature of annealed Langevin
     * dynamics for {@code x = σ} (then {@code σ_t² ∝ 1/ln t}).
     *
     * @param start     {@code x_0 ≥ 0}
     * @param floor     {@code x_∞ ≥ 0}
     * @param timeScale {@code T > 0}
     */
    record Log(double start, double floor, double timeScale) implements Decaying {
        /** Validates. */
        public Log {
            ScheduleChecks.decaying(start, floor, timeScale);
        }

        @Override
        public double value(double t) {
            ScheduleChecks.time(t);
            return Math.max(floor, start / Math.sqrt(Math.log(Math.E + t / timeScale)));
        }

        @Override
        public String kind() {
            return "log";
        }
    }

    /**
     * Piecewise constant: {@code x_0} before {@code t_1}, {@code x_i} on {@code [t_i, t_{i+1})}, {@code x_n}
     * from {@code t_n} on.
     *
     * @param start  {@code x_0 ≥ 0}
     * @param times  {@code 0 ≤ t_1 < t_2 < …}, finite, at least one (copied)
     * @param values {@code x_i ≥ 0}, same length (copied)
     */
    record Steps(double start, double[] times, double[] values) implements Schedule {
        /** Validates and copies. */
        public Steps {
            ScheduleChecks.nonNegative("start", start);
            if (times.length == 0 || times.length != values.length) {
                throw new InvalidInputException("steps must be a non-empty list of [time, value] pairs but has "
                        + times.length + " times and " + values.length + " values");
            }
            times = times.clone();
            values = values.clone();
            for (int i = 0; i < times.length; i++) {
                if (!(times[i] >= 0 && times[i] < Double.POSITIVE_INFINITY)) {
                    throw new InvalidInputException("steps[" + i + "] time must be >= 0 and finite but was " + times[i]);
                }
                if (i > 0 && !(times[i] > times[i - 1])) {
                    throw new InvalidInputException("steps[" + i + "] time must be > the previous time " + times[i - 1]
                            + " but was " + times[i]);
                }
                ScheduleChecks.nonNegative("steps[" + i + "] value", values[i]);
            }
        }

        @Override
        public double[] times() {
            return times.clone();
        }

        @Override
        public double[] values() {
            return values.clone();
        }

        @Override
        public double value(double t) {
            ScheduleChecks.time(t);
            // Last i with t_i ≤ t (binary search: the first time > t, minus one).
            int lo = 0;
            int hi = times.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (times[mid] <= t) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo == 0 ? start : values[lo - 1];
        }

        @Override
        public double max() {
            double m = start;
            for (double v : values) {
                m = Math.max(m, v);
            }
            return m;
        }

        @Override
        public String kind() {
            return "steps";
        }

        @Override
        public JsonNode toJson() {
            ObjectNode o = ScheduleChecks.object(kind(), start);
            ArrayNode a = o.putArray("steps");
            for (int i = 0; i < times.length; i++) {
                a.addArray().add(times[i]).add(values[i]);
            }
            return o;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Steps s && Double.compare(start, s.start) == 0 && Arrays.equals(times, s.times)
                    && Arrays.equals(values, s.values);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Double.hashCode(start) + Arrays.hashCode(times)) + Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return "Steps[start=" + start + ", times=" + Arrays.toString(times) + ", values=" + Arrays.toString(values) + "]";
        }
    }

    /**
     * Parses a schedule with values in {@code [0, ∞)}.
     *
     * @param node the config node (number or mapping)
     * @param key  its full key, for messages (e.g. {@code "meanfield.tau"})
     * @return the schedule
     * @throws InvalidInputException naming {@code key} or {@code key.subKey}
     */
    static Schedule parse(JsonNode node, String key) {
        return parse(node, key, 0, Double.MAX_VALUE);
    }

    /**
     * Parses a schedule whose every value ({@code start}, {@code floor}, step values) lies in {@code [lo, hi]}
     * ({@code lo ≥ 0}), so that an annealed key keeps the range of the plain key it replaces.
     *
     * @param node the config node (number or mapping)
     * @param key  its full key, for messages
     * @param lo   smallest allowed value, ≥ 0
     * @param hi   largest allowed value
     * @return the schedule
     * @throws InvalidInputException naming {@code key} or {@code key.subKey}, the rule and the value
     */
    static Schedule parse(JsonNode node, String key, double lo, double hi) {
        if (node == null || node.isNull()) {
            throw new InvalidInputException("missing key '" + key + "' (a number or a schedule mapping)");
        }
        if (node.isNumber()) {
            return new Constant(ScheduleChecks.inRange(key, node.doubleValue(), lo, hi));
        }
        if (!node.isObject()) {
            throw new InvalidInputException(key + " must be a number or a schedule mapping {schedule: "
                    + String.join("|", KINDS) + ", start: …} but was " + node);
        }
        JsonNode kindNode = node.get("schedule");
        if (kindNode == null || !kindNode.isTextual()) {
            throw new InvalidInputException(key + ".schedule must be one of " + KINDS + " but was "
                    + (kindNode == null ? "missing" : kindNode.toString()));
        }
        String kind = kindNode.asText().trim().toLowerCase(Locale.ROOT);
        List<String> allowed = switch (kind) {
            case "constant" -> List.of("schedule", "start");
            case "exponential", "log" -> List.of("schedule", "start", "floor", "timeScale");
            case "power" -> List.of("schedule", "start", "floor", "timeScale", "exponent");
            case "steps" -> List.of("schedule", "start", "steps");
            default -> throw new InvalidInputException(key + ".schedule must be one of " + KINDS + " but was '"
                    + kindNode.asText() + "'");
        };
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                unknown.add(key + "." + f);
            }
        }
        if (!unknown.isEmpty()) {
            throw new InvalidInputException("unknown key" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + " for schedule " + kind + " (allowed: " + String.join(", ", allowed) + ")");
        }
        double start = ScheduleChecks.inRange(key + ".start", ScheduleChecks.number(node, key, "start", null), lo, hi);
        try {
            return switch (kind) {
                case "constant" -> new Constant(start);
                case "steps" -> steps(node, key, start, lo, hi);
                default -> decaying(kind, node, key, start, lo, hi);
            };
        } catch (InvalidInputException e) {
            if (e.getMessage().startsWith(key + ".")) {
                throw e;
            }
            throw new InvalidInputException(key + "." + e.getMessage());
        }
    }

    /** The exponential, log and power kinds: start, floor (default 0), time scale, and the exponent of power. */
    private static Decaying decaying(String kind, JsonNode node, String key, double start, double lo, double hi) {
        double f = ScheduleChecks.number(node, key, "floor", 0.0);
        double floor = node.has("floor") ? ScheduleChecks.inRange(key + ".floor", f, lo, hi) : f;
        double timeScale = ScheduleChecks.number(node, key, "timeScale", null);
        return switch (kind) {
            case "exponential" -> new Exponential(start, floor, timeScale);
            case "log" -> new Log(start, floor, timeScale);
            default -> new Power(start, floor, timeScale, ScheduleChecks.number(node, key, "exponent", null));
        };
    }

    private static Steps steps(JsonNode node, String key, double start, double lo, double hi) {
        JsonNode list = node.get("steps");
        String path = key + ".steps";
        if (list == null || !list.isArray() || list.size() == 0) {
            throw new InvalidInputException(path + " must be a non-empty list of [time, value] pairs but was "
                    + (list == null ? "missing" : list.toString()));
        }
        double[] times = new double[list.size()];
        double[] values = new double[list.size()];
        for (int i = 0; i < list.size(); i++) {
            JsonNode e = list.get(i);
            String at = path + "[" + i + "]";
            JsonNode t;
            JsonNode v;
            if (e.isArray() && e.size() == 2) {
                t = e.get(0);
                v = e.get(1);
            } else if (e.isObject() && e.size() == 2 && e.has("time") && e.has("value")) {
                t = e.get("time");
                v = e.get("value");
            } else {
                throw new InvalidInputException(at + " must be a pair [time, value] or {time: …, value: …} but was " + e);
            }
            if (!t.isNumber() || !v.isNumber()) {
                throw new InvalidInputException(at + " must hold two numbers but was " + e);
            }
            times[i] = t.doubleValue();
            values[i] = ScheduleChecks.inRange(at + " value", v.doubleValue(), lo, hi);
        }
        return new Steps(start, times, values); // which checks the times, in the same words once prefixed with key
    }

    /**
     * Reads a schedule from a config tree: absent → {@code constant(def)}; marks the key (and all its sub-keys)
     * as known and records the effective value in the resolved config.
     *
     * @param tree the config
     * @param path dotted key, e.g. {@code "meanfield.tau"}
     * @param def  default constant
     * @param lo   smallest allowed value (≥ 0)
     * @param hi   largest allowed value
     * @return the schedule
     */
    static Schedule read(ConfigTree tree, String path, double def, double lo, double hi) {
        JsonNode n = tree.node(path);
        Schedule s;
        if (n == null) {
            s = new Constant(ScheduleChecks.inRange(path, def, lo, hi));
        } else if (n.isTextual()) {
            throw new InvalidInputException(path + " must be a number or a schedule mapping but was " + n);
        } else {
            s = parse(n, path, lo, hi);
        }
        tree.record(path, s.toJson());
        return s;
    }
}

/** Validation helpers (messages: {@code field must be … but was …}). */
final class ScheduleChecks {
    private ScheduleChecks() {
    }

    static double nonNegative(String field, double v) {
        if (!(v >= 0 && v < Double.POSITIVE_INFINITY)) {
            throw new InvalidInputException(field + " must be >= 0 and finite but was " + v);
        }
        return v;
    }

    static double positive(String field, double v) {
        if (!(v > 0 && v < Double.POSITIVE_INFINITY)) {
            throw new InvalidInputException(field + " must be > 0 but was " + v);
        }
        return v;
    }

    /** Checks the fields of a {@link Schedule.Decaying} kind. */
    static void decaying(double start, double floor, double timeScale) {
        nonNegative("start", start);
        nonNegative("floor", floor);
        positive("timeScale", timeScale);
    }

    /** @return the config form of a {@link Schedule.Decaying} kind (without the exponent of power) */
    static ObjectNode decaying(Schedule.Decaying s) {
        return object(s.kind(), s.start()).put("floor", s.floor()).put("timeScale", s.timeScale());
    }

    static double inRange(String field, double v, double lo, double hi) {
        if (!(v >= lo && v <= hi)) {
            throw new InvalidInputException(field + " must be in [" + lo + ", " + hi + "] but was " + v);
        }
        return v;
    }

    static void time(double t) {
        if (!(t >= 0)) {
            throw new IllegalArgumentException("schedule time must be >= 0 but was " + t);
        }
    }

    /** A numeric sub-key; {@code def == null} makes it required. */
    static double number(JsonNode node, String key, String field, Double def) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            if (def == null) {
                throw new InvalidInputException(key + "." + field + " is required for schedule "
                        + node.get("schedule").asText() + " but is missing");
            }
            return def;
        }
        if (!n.isNumber()) {
            throw new InvalidInputException(key + "." + field + " must be a number but was " + n);
        }
        return n.doubleValue();
    }

    static ObjectNode object(String kind, double start) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("schedule", kind);
        o.put("start", start);
        return o;
    }
}
