/**
 * Variance-adjusted actor–critic (Tamar &amp; Mannor): exact moments J, M, Var of the episodic return and the
 * exact gradient of η = J − λ·Var on finite SSPs; later the critics and the actor step. Plain Java; depends on
 * {@code mdp}, {@code policy}, {@code math}, {@code random}, {@code util}.
 */
package org.pgflow.variance;
