package org.pgflow.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The worker threads of the in-JVM engine: a fixed pool that maps a function over task indices {@code 0..n−1}
 * and hands back the results <b>in index order</b>, whatever thread computed them and in whatever order they
 * finished. Callers combine those results in that order, so a run gives the same bits for any number of
 * threads (and the same bits as the Spark engine, which combines by block id too).
 *
 * <p>Tasks are claimed dynamically from a shared counter (a few large blocks and many small ones balance
 * alike); with one thread, or one task, everything runs on the calling thread and no hand-off is paid. Threads
 * are daemons, so a pool that is never closed does not keep the JVM alive.
 */
public final class WorkerPool implements AutoCloseable {
    /** A pool that runs everything on the calling thread. */
    public static final WorkerPool SEQUENTIAL = new WorkerPool(1);

    private final int threads;
    private final ExecutorService executor;

    /**
     * @param threads worker threads, ≥ 1 (1 = run on the calling thread)
     */
    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1 but was " + threads);
        }
        this.threads = threads;
        this.executor = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, daemons());
    }

    /** @return the number of threads that run tasks (the caller included) */
    public int threads() {
        return threads;
    }

    /**
     * Computes {@code f(0), …, f(n−1)} on the pool's threads (the calling thread takes part).
     *
     * @param n   number of tasks
     * @param f   task index → result (must be safe to call from several threads at once)
     * @param <T> result type
     * @return the results in index order
     * @throws RuntimeException the first failure (in index order) of any task, after all have stopped
     */
    public <T> List<T> map(int n, IntFunction<T> f) {
        List<T> out = new ArrayList<>(n);
        if (executor == null || n <= 1) {
            for (int i = 0; i < n; i++) {
                out.add(f.apply(i));
            }
            return out;
        }
        @SuppressWarnings("unchecked")
        T[] results = (T[]) new Object[n];
        Throwable[] errors = new Throwable[n];
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                try {
                    results[i] = f.apply(i);
                } catch (Throwable t) {
                    errors[i] = t;
                    next.set(n); // stop handing out work
                }
            }
        };
        int helpers = Math.min(threads - 1, n - 1);
        List<Future<?>> futures = new ArrayList<>(helpers);
        for (int h = 0; h < helpers; h++) {
            futures.add(executor.submit(worker));
        }
        worker.run();
        boolean interrupted = false;
        for (Future<?> fu : futures) {
            while (true) {
                try {
                    fu.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("worker thread failed", e.getCause());
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        for (Throwable t : errors) {
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
        }
        for (int i = 0; i < n; i++) {
            out.add(results[i]);
        }
        return out;
    }

    /**
     * Runs {@code body(0), …, body(n−1)} on the pool's threads.
     *
     * @param n    number of tasks
     * @param body task index → side effect on data no other task touches
     */
    public void forEach(int n, java.util.function.IntConsumer body) {
        map(n, i -> {
            body.accept(i);
            return Boolean.TRUE;
        });
    }

    /** Stops the worker threads. */
    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private static ThreadFactory daemons() {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "pgflow-worker-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
