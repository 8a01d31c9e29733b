package org.pgflow.variance;

import java.io.Serializable;
import java.util.Arrays;
import org.pgflow.util.Checks;
import org.pgflow.util.InvalidInputException;

/**
 * The iteration state of the variance-adjusted actor–critic (docs/algorithms.md §4.7–4.8): iteration {@code k}, actor
 * parameters {@code θ_k}, and critic {@code (Ĵ_k, w_J,k, w_M,k, w̃_J,k)}. Small, immutable and
 * {@code Serializable} (a final class, not a record, so that Spark's Kryo can serialise it); arrays are
 * copied in and out. {@link #equals} compares values bit for bit.
 */
public final class ActorCriticState implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long iteration;
    private final double[] theta;
    private final double jHat;
    private final double[] wJ;
    private final double[] wM;
    private final double[] wTilde;

    private ActorCriticState(long iteration, double[] theta, double jHat, double[] wJ, double[] wM,
                             double[] wTilde) {
        this.iteration = iteration;
        this.theta = theta;
        this.jHat = jHat;
        this.wJ = wJ;
        this.wM = wM;
        this.wTilde = wTilde;
    }

    /**
     * @param iteration {@code k ≥ 0}
     * @param theta     {@code θ}
     * @param jHat      {@code Ĵ}
     * @param wJ        {@code w_J} (length d)
     * @param wM        {@code w_M} (length d)
     * @param wTilde    {@code w̃_J} (length d)
     * @return the state (arrays copied)
     * @throws InvalidInputException on a negative iteration, unequal critic lengths or a non-finite entry
     */
    public static ActorCriticState of(long iteration, double[] theta, double jHat, double[] wJ, double[] wM,
                                      double[] wTilde) {
        Checks.inRange("iteration", iteration, 0, Long.MAX_VALUE);
        if (wJ.length != wM.length || wJ.length != wTilde.length) {
            throw new InvalidInputException("critic lengths differ: wJ " + wJ.length + ", wM " + wM.length
                    + ", wTilde " + wTilde.length);
        }
        finite("theta", theta);
        Checks.finite("jHat", jHat);
        finite("wJ", wJ);
        finite("wM", wM);
        finite("wTilde", wTilde);
        return new ActorCriticState(iteration, theta.clone(), jHat, wJ.clone(), wM.clone(), wTilde.clone());
    }

    /** @return iteration 0 with the given θ and a zero critic of dimension {@code d} */
    public static ActorCriticState initial(double[] theta, int criticDimension) {
        double[] z = new double[criticDimension];
        return of(0, theta, 0.0, z, z, z);
    }

    private static void finite(String name, double[] v) {
        for (int i = 0; i < v.length; i++) {
            Checks.finite(name + "[" + i + "]", v[i]);
        }
    }

    /** @return a copy with another critic, same θ and iteration */
    public ActorCriticState withCritic(double newJHat, double[] newWJ, double[] newWM, double[] newWTilde) {
        return of(iteration, theta, newJHat, newWJ, newWM, newWTilde);
    }

    /** Package-private constructor for kernels that already own fresh, checked arrays. */
    static ActorCriticState trusted(long iteration, double[] theta, double jHat, double[] wJ, double[] wM,
                                    double[] wTilde) {
        return new ActorCriticState(iteration, theta, jHat, wJ, wM, wTilde);
    }

    /** @return {@code k} */
    public long iteration() {
        return iteration;
    }

    /** @return a copy of {@code θ} */
    public double[] theta() {
        return theta.clone();
    }

    /** @return {@code Ĵ} */
    public double jHat() {
        return jHat;
    }

    /** @return a copy of {@code w_J} */
    public double[] wJ() {
        return wJ.clone();
    }

    /** @return a copy of {@code w_M} */
    public double[] wM() {
        return wM.clone();
    }

    /** @return a copy of {@code w̃_J} */
    public double[] wTilde() {
        return wTilde.clone();
    }

    /** @return the critic dimension {@code d} */
    public int criticDimension() {
        return wJ.length;
    }

    // Read-only views for the kernels of this package (never modified there).
    double[] thetaView() {
        return theta;
    }

    double[] wJView() {
        return wJ;
    }

    double[] wMView() {
        return wM;
    }

    double[] wTildeView() {
        return wTilde;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ActorCriticState s)) {
            return false;
        }
        return iteration == s.iteration && Double.doubleToLongBits(jHat) == Double.doubleToLongBits(s.jHat)
                && Arrays.equals(theta, s.theta) && Arrays.equals(wJ, s.wJ) && Arrays.equals(wM, s.wM)
                && Arrays.equals(wTilde, s.wTilde);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(iteration) * 31 + Arrays.hashCode(theta);
    }

    @Override
    public String toString() {
        return "ActorCriticState{k=" + iteration + ", theta=" + Arrays.toString(theta) + ", jHat=" + jHat + "}";
    }
}
