package org.pgflow.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pgflow.util.InvalidInputException;

/**
 * Gauss–Legendre and Gauss–Hermite rules against closed-form small rules, against NumPy 2.4.6
 * ({@code numpy.polynomial.legendre.leggauss}, {@code numpy.polynomial.hermite.hermgauss}, values printed with
 * {@code repr}) and against polynomial exactness (degree ≤ 2n − 1).
 */
class QuadratureTest {
    /** Double round-off on O(1) nodes and weights; NumPy's own rules are accurate to a few ulps. */
    private static final double NODE_TOL = 1e-14;

    @Test
    void legendreSmallRulesInClosedForm() {
        Quadrature q2 = Quadrature.gaussLegendre(2);
        assertEquals(-1 / Math.sqrt(3), q2.node(0), NODE_TOL);
        assertEquals(1 / Math.sqrt(3), q2.node(1), NODE_TOL);
        assertEquals(1.0, q2.weight(0), NODE_TOL);
        Quadrature q3 = Quadrature.gaussLegendre(3);
        assertEquals(0.0, q3.node(1), 0.0);
        assertEquals(Math.sqrt(0.6), q3.node(2), NODE_TOL);
        assertEquals(8.0 / 9.0, q3.weight(1), NODE_TOL);
        assertEquals(5.0 / 9.0, q3.weight(2), NODE_TOL);
    }

    @Test
    void legendreMatchesNumpy() {
        Quadrature q = Quadrature.gaussLegendre(20);
        assertEquals(0.993128599185095, q.node(19), NODE_TOL);
        assertEquals(0.017614007139150893, q.weight(19), NODE_TOL);
        assertEquals(0.37370608871541955, q.node(12), NODE_TOL);
        assertEquals(0.1420961093183824, q.weight(12), NODE_TOL);
    }

    @Test
    void hermiteMatchesClosedFormAndNumpy() {
        Quadrature q2 = Quadrature.gaussHermite(2);
        assertEquals(1 / Math.sqrt(2), q2.node(1), NODE_TOL);
        assertEquals(Math.sqrt(Math.PI) / 2, q2.weight(1), NODE_TOL);
        Quadrature q20 = Quadrature.gaussHermite(20);
        assertEquals(5.387480890011233, q20.node(19), 1e-13);
        assertEquals(2.2293936455341447e-13, q20.weight(19), 1e-24);
        assertEquals(1.234076215395323, q20.node(12), NODE_TOL);
        assertEquals(0.1090172060200233, q20.weight(12), NODE_TOL);
        Quadrature q80 = Quadrature.gaussHermite(80);
        assertEquals(11.887863560471148, q80.node(79), 1e-12);
        assertEquals(1.3643774570540068, q80.node(45), NODE_TOL);
        assertEquals(0.03870859991483801, q80.weight(45), NODE_TOL);
        assertEquals(2.9557746032981413e-62, q80.weight(79), 1e-72);
    }

    /** ∫_{−1}^{1} x^k dx = 2/(k+1) for even k, 0 for odd k; exact up to degree 2n−1. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 10, 33, 200})
    void legendreIsExactForPolynomialsUpToDegree2nMinus1(int n) {
        Quadrature q = Quadrature.gaussLegendre(n);
        for (int k = 0; k <= Math.min(2 * n - 1, 40); k++) {
            final int kk = k;
            double exact = (k % 2 == 0) ? 2.0 / (k + 1) : 0.0;
            assertEquals(exact, q.integrate(x -> Math.pow(x, kk)), 1e-13, "n=" + n + ", degree " + k);
        }
    }

    /** ∫ x^{2k} e^{−x²} dx = Γ(k + ½) = (2k−1)!!·√π/2^k; odd moments vanish; exact up to degree 2n−1. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 10, 40, 80})
    void hermiteIsExactForPolynomialsUpToDegree2nMinus1(int n) {
        Quadrature q = Quadrature.gaussHermite(n);
        double gamma = Math.sqrt(Math.PI); // Γ(½)
        for (int k = 0; 2 * k <= Math.min(2 * n - 1, 20); k++) {
            final int deg = 2 * k;
            double got = q.integrate(x -> Math.pow(x, deg));
            assertEquals(gamma, got, 1e-12 * Math.max(1, gamma), "n=" + n + ", degree " + deg);
            final int odd = 2 * k + 1;
            if (odd <= 2 * n - 1) {
                assertEquals(0.0, q.integrate(x -> Math.pow(x, odd)), 1e-11 * Math.max(1, gamma), "n=" + n + ", odd degree " + odd);
            }
            gamma *= (k + 0.5);
        }
    }

    @Test
    void probabilityRulesSumToOneAndHaveTheRightMoments() {
        Quadrature u = Quadrature.uniform(7, -2, 2);
        Quadrature g = Quadrature.normal(15, 0.5, 2.0);
        assertEquals(1.0, u.integrate(x -> 1.0), 1e-15);
        assertEquals(4.0 / 3.0, u.integrate(x -> x * x), 1e-14, "Var U[-2,2] = 16/12");
        assertEquals(1.0, g.integrate(x -> 1.0), 1e-15);
        assertEquals(0.5, g.integrate(x -> x), 1e-14);
        assertEquals(4.0 + 0.25, g.integrate(x -> x * x), 1e-13);
        assertTrue(u.node(0) > -2 && u.node(6) < 2);
    }

    @Test
    void rejectsInvalidArguments() {
        assertThrows(InvalidInputException.class, () -> Quadrature.gaussLegendre(0));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Quadrature.normal(5, 0, Double.NaN));
        assertTrue(e.getMessage().contains("sd"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> Quadrature.uniform(5, 1, 1));
    }
}
