package org.pgflow.util;

/**
 * A computed quantity became non-finite (NaN or infinite) or a linear system became singular during a run:
 * "our maths broke", as opposed to bad input. Carries the iteration and the name of the offending quantity.
 */
public class NumericalDivergenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long iteration;
    private final String quantity;

    /**
     * @param iteration iteration at which the divergence was detected (-1 when not inside a loop)
     * @param quantity  name of the quantity, with its index, e.g. {@code "drift[particle=12, coord=3]"}
     * @param detail    what was observed, e.g. {@code "NaN"}
     */
    public NumericalDivergenceException(long iteration, String quantity, String detail) {
        super((iteration >= 0 ? "iteration " + iteration + ": " : "") + quantity + " is " + detail);
        this.iteration = iteration;
        this.quantity = quantity;
    }

    /** @return the iteration at which divergence was detected, or -1 */
    public long iteration() {
        return iteration;
    }

    /** @return the name (and index) of the offending quantity */
    public String quantity() {
        return quantity;
    }
}
