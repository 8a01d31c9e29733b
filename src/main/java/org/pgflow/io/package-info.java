/**
 * The run directory and its files: {@code run.json} and status ({@link org.pgflow.io.RunDirectory}),
 * {@code metrics.csv} ({@link org.pgflow.io.MetricsCsv}), Parquet particle snapshots written and read without
 * Spark ({@link org.pgflow.io.ParticleSnapshots}), verified engine-neutral checkpoints
 * ({@link org.pgflow.io.CheckpointStore}), atomic writes, progress lines, plots and {@code report.html}
 * ({@link org.pgflow.io.RunReport}, {@link org.pgflow.io.StudyPlots}). No Spark.
 */
package org.pgflow.io;
