package org.pgflow.train;

import java.nio.file.Path;
import java.util.List;
import org.pgflow.meanfield.ParticleBlock;

/** Writes a particle snapshot (Parquet: one row per particle, id and theta[]) of blocks held in this JVM. */
@FunctionalInterface
public interface SnapshotWriter {
    /**
     * @param directory the snapshot directory (created; replaced if it exists)
     * @param blocks    the blocks in block order
     */
    void write(Path directory, List<ParticleBlock> blocks);
}
