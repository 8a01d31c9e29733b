package org.pgflow.mdp;

import org.pgflow.util.Checks;
import org.pgflow.util.InvalidInputException;

/**
 * The RiskyChain SSP of docs/algorithms.md §5 T7 (T8 is {@code L = 1}). States: decision {@code D_i = i}, win
 * {@code W_i = L + i}, lose {@code O_i = 2L + i} ({@code i = 0..L−1}), terminal {@code 3L}; actions
 * {@code 0 = safe}, {@code 1 = risky}. {@code D_i}: safe pays 1 and moves to {@code D_{i+1}}; risky pays 0
 * and moves to {@code W_i} w.p. {@code p}, to {@code O_i} otherwise. {@code W_i} pays {@code R_win},
 * {@code O_i} pays 0, both (any action) move to {@code D_{i+1}}; {@code D_L ≡ †}; start {@code D_0}.
 */
public final class RiskyChain {
    private RiskyChain() {
    }

    /**
     * @param stages decision stages {@code L ≥ 1}
     * @param p      win probability of the risky action, in [0, 1]
     * @param rWin   reward in a win state, finite
     * @return the SSP (γ = 1)
     * @throws InvalidInputException naming the parameter if a value is out of range
     */
    public static Ssp of(int stages, double p, double rWin) {
        Checks.inRange("stages", stages, 1, 1_000_000);
        Checks.inClosed("p", p, 0, 1);
        Checks.finite("rWin", rWin);
        int l = stages;
        int n = 3 * l;
        double[][][] t = new double[n][2][n + 1];
        double[][] r = new double[n][2];
        for (int i = 0; i < l; i++) {
            int next = i + 1 < l ? i + 1 : n;
            t[i][0][next] = 1;
            r[i][0] = 1;
            t[i][1][l + i] += p;
            t[i][1][2 * l + i] += 1 - p;
            for (int u = 0; u < 2; u++) {
                t[l + i][u][next] = 1;
                r[l + i][u] = rWin;
                t[2 * l + i][u][next] = 1;
            }
        }
        return Ssp.of("risky-chain-L" + l + "-p" + p + "-R" + rWin, t, r, 0, 1.0);
    }

    /** @return the defaults of docs/algorithms.md §5 T7: {@code L = 3, p = 0.5, R_win = 2.4} */
    public static Ssp t7() {
        return of(3, 0.5, 2.4);
    }

    /** @return the single decision of docs/algorithms.md §5 T8 ({@code L = 1}) */
    public static Ssp t8() {
        return of(1, 0.5, 2.4);
    }
}
