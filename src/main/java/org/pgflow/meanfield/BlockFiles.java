package org.pgflow.meanfield;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The engine-neutral file of one particle block, as checkpoints hold them: {@code block-NNNNNNN.bin} in a
 * checkpoint's {@code particles/} directory, one file per block id, whatever engine or partitioning wrote it,
 * so that a checkpoint written by the in-JVM engine resumes on Spark and the other way round.
 *
 * <pre>
 *   int    magic 0x50474642 ("PGFB"), int version 1          (all little-endian)
 *   int    blockId, long firstId, int count, int dim, int flags (bit 0: coupled cloud present)
 *   double driftNormSum, double coupledDriftNormSum
 *   double theta[dim·count]   (coordinate-major, as ParticleBlock holds them)
 *   double coupled[dim·count] (when flagged)
 * </pre>
 * Every write returns the file's length and CRC-32C, which the checkpoint manifest records; {@link #read}
 * checks both, and the header against the run's block structure, before it returns a block.
 */
public final class BlockFiles {
    private static final int MAGIC = 0x50474642;
    private static final int VERSION = 1;
    private static final int HEADER = 4 + 4 + 4 + 8 + 4 + 4 + 4 + 8 + 8;

    private BlockFiles() {
    }

    /**
     * What a checkpoint manifest records of one block file.
     *
     * @param blockId block id
     * @param name    file name inside the particles directory
     * @param bytes   file length
     * @param crc32c  CRC-32C of the whole file
     */
    public record Written(int blockId, String name, long bytes, long crc32c) implements Serializable {
    }

    /** @return the file name of block {@code b} */
    public static String name(int b) {
        return String.format("block-%07d.bin", b);
    }

    /**
     * Writes one block into {@code directory} (which must exist); an existing file of that name is replaced.
     *
     * @param directory target directory
     * @param block     the block
     * @return name, length and checksum
     */
    public static Written write(Path directory, ParticleBlock block) {
        int n = block.theta().length;
        boolean coupled = block.coupled() != null;
        long size = HEADER + 8L * n * (coupled ? 2 : 1);
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("block " + block.blockId() + " is too large for one file (" + size
                    + " bytes): use a smaller meanfield.blockSize");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(MAGIC).putInt(VERSION).putInt(block.blockId()).putLong(block.firstId()).putInt(block.count())
                .putInt(block.dim()).putInt(coupled ? 1 : 0).putDouble(block.driftNormSum())
                .putDouble(block.coupledDriftNormSum());
        buf.asDoubleBuffer().put(block.theta());
        buf.position(buf.position() + 8 * n);
        if (coupled) {
            buf.asDoubleBuffer().put(block.coupled());
            buf.position(buf.position() + 8 * n);
        }
        buf.flip();
        CRC32C crc = new CRC32C();
        crc.update(buf.duplicate());
        String name = name(block.blockId());
        Path file = directory.resolve(name);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            // No fsync: a file cut short by a crash fails its manifest checksum, and the checkpoint before it is kept.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write particle block file " + file, e);
        }
        return new Written(block.blockId(), name, size, crc.getValue());
    }

    /**
     * Reads the raw bytes of a block file and checks them against the manifest's length and checksum.
     *
     * @param file     the file
     * @param expected what the manifest says of it
     * @return the verified bytes
     * @throws DamagedFileException when the file is missing, unreadable or differs from the manifest
     */
    public static ByteBuffer verified(Path file, Written expected) {
        byte[] bytes;
        try {
            if (!Files.isRegularFile(file)) {
                throw new DamagedFileException(file, "is missing");
            }
            long size = Files.size(file);
            if (size != expected.bytes()) {
                throw new DamagedFileException(file, "has " + size + " bytes but the manifest says " + expected.bytes());
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DamagedFileException(file, "cannot be read (" + e.getMessage() + ")");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        if (crc.getValue() != expected.crc32c()) {
            throw new DamagedFileException(file, "fails its checksum (CRC-32C " + Long.toHexString(crc.getValue())
                    + ", manifest " + Long.toHexString(expected.crc32c()) + ")");
        }
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Reads and verifies a block file against the manifest and the run's block structure.
     *
     * @param directory the particles directory
     * @param expected  the manifest's record of the file
     * @param setup     the run's constants (block structure, dimension, coupling)
     * @return the block
     * @throws DamagedFileException when the file does not match
     */
    public static ParticleBlock read(Path directory, Written expected, MeanFieldSetup setup) {
        Path file = directory.resolve(expected.name());
        ByteBuffer buf = verified(file, expected);
        if (buf.remaining() < HEADER || buf.getInt() != MAGIC || buf.getInt() != VERSION) {
            throw new DamagedFileException(file, "is not a pgflow particle block file (version " + VERSION + ")");
        }
        int blockId = buf.getInt();
        long firstId = buf.getLong();
        int count = buf.getInt();
        int dim = buf.getInt();
        boolean coupled = (buf.getInt() & 1) != 0;
        double drift = buf.getDouble();
        double coupledDrift = buf.getDouble();
        int b = expected.blockId();
        if (blockId != b || firstId != setup.firstId(b) || count != setup.blockCount(b) || dim != setup.layout().dim()
                || coupled != setup.coupled()) {
            throw new DamagedFileException(file, "holds block " + blockId + " (first id " + firstId + ", " + count
                    + " particles of dimension " + dim + (coupled ? ", coupled" : "") + ") but the run expects block " + b
                    + " (first id " + setup.firstId(b) + ", " + setup.blockCount(b) + " particles of dimension "
                    + setup.layout().dim() + (setup.coupled() ? ", coupled" : "") + ")");
        }
        int n = dim * count;
        if (buf.remaining() != 8L * n * (coupled ? 2 : 1)) {
            throw new DamagedFileException(file, "has a payload of " + buf.remaining() + " bytes, expected "
                    + 8L * n * (coupled ? 2 : 1));
        }
        double[] theta = new double[n];
        buf.asDoubleBuffer().get(theta);
        buf.position(buf.position() + 8 * n);
        double[] c = null;
        if (coupled) {
            c = new double[n];
            buf.asDoubleBuffer().get(c);
        }
        return new ParticleBlock(blockId, firstId, count, dim, theta, c, drift, coupledDrift);
    }

    /** A block file that is missing, truncated, altered or of another run. */
    public static final class DamagedFileException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String file;

        DamagedFileException(Path file, String what) {
            super(file + " " + what);
            this.file = file.toString();
        }

        /** @return the offending file */
        public String file() {
            return file;
        }
    }
}
