package org.pgflow.spark;

import com.esotericsoftware.kryo.Kryo;
import org.apache.spark.serializer.KryoRegistrator;
import org.pgflow.meanfield.BlockSummaries;
import org.pgflow.meanfield.BlockSummary;
import org.pgflow.meanfield.ParticleBlock;
import org.pgflow.meanfield.WeightTable;

/**
 * Registers every class pgflow sends through Kryo (RDD elements, task results, broadcasts), so that
 * {@code spark.kryo.registrationRequired=true} can stay on: an unregistered class then fails loudly instead
 * of being written with its full class name.
 */
public final class PgflowKryoRegistrator implements KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        kryo.register(double[].class);
        kryo.register(double[][].class);
        kryo.register(long[].class);
        kryo.register(byte[].class);
        kryo.register(int[].class);
        kryo.register(Object[].class);
        kryo.register(ParticleBlock.class);
        kryo.register(BlockSummary.class);
        kryo.register(BlockSummary[].class);
        kryo.register(BlockSummaries.class);
        kryo.register(WeightTable.class);
        kryo.register(org.pgflow.variance.ActorCriticState.class);
        kryo.register(org.pgflow.variance.EpisodeSums.class);
        kryo.register(org.pgflow.variance.NormalEquations.class);
        kryo.register(org.pgflow.variance.ReturnMoments.class);
        kryo.register(SparkEpisodeEngine.OrderedParts.class);
        kryo.register(Long.class);
        kryo.register(org.pgflow.meanfield.ParticleSummary.class);
        kryo.register(org.pgflow.estimate.RolloutBatch.class);
        kryo.register(org.pgflow.stats.RunningMoments.class);
        kryo.register(org.pgflow.estimate.VarianceWeightBatch.class);
        kryo.register(org.pgflow.estimate.PointWeightBatch.class);
        kryo.register(org.pgflow.meanfield.Points.class);
        // Spark SQL classes that travel with the Parquet snapshot job's rows and schema.
        kryo.register(org.apache.spark.sql.types.StructType.class);
        kryo.register(org.apache.spark.sql.types.StructField.class);
        kryo.register(org.apache.spark.sql.types.StructField[].class);
        kryo.register(org.apache.spark.sql.types.ArrayType.class);
        kryo.register(org.apache.spark.sql.types.LongType$.class);
        kryo.register(org.apache.spark.sql.types.DoubleType$.class);
        kryo.register(org.apache.spark.sql.types.Metadata.class);
        kryo.register(org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema.class);
    }
}
