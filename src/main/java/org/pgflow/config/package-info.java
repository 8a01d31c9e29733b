/**
 * Experiment configurations: strict YAML trees ({@link org.pgflow.config.ConfigTree}, with {@code --set}
 * overrides, typed reads that validate ranges and name the key, unknown keys rejected) and the validated
 * {@link org.pgflow.config.RunConfig} built from them; the engine choice {@link org.pgflow.config.EngineKind};
 * τ/σ schedules ({@link org.pgflow.config.Schedule}). Depends on {@code util} (and {@code mdp} for the
 * portfolio's parameter record).
 */
package org.pgflow.config;
