/**
 * One experiment from a validated config to its run directory, on any engine: the engine contract
 * ({@link org.pgflow.run.Engine}) and the in-JVM engine ({@link org.pgflow.run.LocalEngine}); the jobs that
 * resolve a config's problem and run its trainer ({@link org.pgflow.run.MeanFieldJob},
 * {@link org.pgflow.run.VarianceJob}); the launcher shared by {@code run} and {@code study}
 * ({@link org.pgflow.run.Launcher}); a study cell as a self-contained task ({@link org.pgflow.run.CellRunner});
 * reports. Imports no Spark: the Spark engine implements {@link org.pgflow.run.Engine} in {@code spark}.
 */
package org.pgflow.run;
