package org.pgflow.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.pgflow.io.AtomicFiles;

/** JSON result output shared by the commands: standard output, or an atomically written file. */
final class Output {
    private Output() {
    }

    static void putVector(ArrayNode arr, double[] v) {
        for (double x : v) {
            arr.add(x);
        }
    }

    static void putMatrix(ArrayNode arr, double[][] m) {
        for (double[] row : m) {
            putVector(arr.addArray(), row);
        }
    }

    static void emit(ObjectNode o, Path out, java.io.PrintWriter stdout) {
        if (out == null) {
            stdout.print(AtomicFiles.toPrettyJson(o));
            stdout.flush();
        } else {
            AtomicFiles.writeJson(out, o);
        }
    }
}
