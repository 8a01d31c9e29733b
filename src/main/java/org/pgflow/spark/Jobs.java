package org.pgflow.spark;

import java.io.Serializable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.rdd.RDD;
import scala.collection.Iterator;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * The two RDD operations of a synchronous iteration with the least per-job work on the driver:
 * <ul>
 *   <li>{@link #foldPartitions}: one job of one stage, each task folds its partition's rows into a fresh copy of
 *       the zero value and returns it; the driver receives one result per partition, in partition order. This is
 *       what {@code aggregate} does without its driver-side fold, and what {@code treeAggregate} does without
 *       its extra closures: our results are per-block collections combined on the driver in block order anyway,
 *       so a reduction tree would only add hops.</li>
 *   <li>{@link #map}: a narrow map.</li>
 * </ul>
 * Both hand Spark a named {@code scala.Function1} class instead of a lambda. Spark's {@code ClosureCleaner}
 * parses the enclosing class file with ASM for every lambda it is given ({@code JavaRDD.map} and
 * {@code treeAggregate} wrap the Java function in Scala lambdas), which a profile of the N = 10³ iteration showed
 * on the driver's thread every iteration; a named class is left alone. Measured in {@code local[2]}, warm: a
 * trivial {@code treeAggregate} job 5.6–6.2 ms, the same fold through {@code runJob} 3.7–4.2 ms.
 */
final class Jobs {
    private Jobs() {
    }

    /**
     * Folds every partition into a fresh copy of {@code zero} (it travels with the task, so each task
     * deserialises its own).
     *
     * @param rdd    the rows
     * @param zero   the empty accumulator (serialisable, mutable)
     * @param fold   accumulator × row → accumulator
     * @param type   the accumulator's class
     * @param <T>    row type
     * @param <A>    accumulator type
     * @return one accumulator per partition, in partition order
     */
    static <T, A> A[] foldPartitions(JavaRDD<T> rdd, A zero, Function2<A, T, A> fold, Class<A> type) {
        ClassTag<A> tag = ClassTag$.MODULE$.apply(type);
        @SuppressWarnings("unchecked")
        A[] parts = (A[]) rdd.context().runJob(rdd.rdd(), new FoldPartition<>(zero, fold), tag);
        return parts;
    }

    /**
     * A narrow map with a named function class. Like {@code JavaRDD.map}, the element class tag is
     * {@code AnyRef}, so that arrays Spark builds of the rows (e.g. {@code collect}'s per-partition arrays, which
     * travel with Kryo) are {@code Object[]}, a registered class.
     *
     * @param rdd  the rows
     * @param f    row → row
     * @param <T>  row type
     * @param <U>  result type
     * @return the mapped RDD (lazy)
     */
    static <T, U> JavaRDD<U> map(JavaRDD<T> rdd, Function<T, U> f) {
        @SuppressWarnings("unchecked")
        ClassTag<U> tag = (ClassTag<U>) (ClassTag<?>) ClassTag$.MODULE$.AnyRef();
        RDD<U> mapped = rdd.rdd().map(new MapRow<>(f), tag);
        return JavaRDD.fromRDD(mapped, tag);
    }

    /** The task function of {@link #foldPartitions}. */
    static final class FoldPartition<T, A> extends AbstractFunction1<Iterator<T>, A> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final A zero;
        private final Function2<A, T, A> fold;

        FoldPartition(A zero, Function2<A, T, A> fold) {
            this.zero = zero;
            this.fold = fold;
        }

        @Override
        public A apply(Iterator<T> rows) {
            A acc = zero; // this task's own deserialised copy
            while (rows.hasNext()) {
                T row = rows.next();
                A before = acc;
                acc = unchecked(() -> fold.call(before, row));
            }
            return acc;
        }
    }

    /** The row function of {@link #map}. */
    static final class MapRow<T, U> extends AbstractFunction1<T, U> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Function<T, U> f;

        MapRow(Function<T, U> f) {
            this.f = f;
        }

        @Override
        public U apply(T row) {
            return unchecked(() -> f.call(row));
        }
    }

    /** Calls a Spark Java function, which may declare {@code Exception}; checked ones are wrapped. */
    private static <R> R unchecked(java.util.concurrent.Callable<R> call) {
        try {
            return call.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
