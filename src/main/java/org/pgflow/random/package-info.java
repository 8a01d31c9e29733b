/**
 * Seeded random streams addressed by (master seed, purpose, iteration, item id), and the small samplers
 * (categorical, geometric horizon) that take their generator as an argument. Depends only on the JDK.
 */
package org.pgflow.random;
