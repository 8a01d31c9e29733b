package org.pgflow.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.pgflow.estimate.ExactSolver;
import org.pgflow.estimate.SoftOptimum;
import org.pgflow.mdp.ModelFiles;
import org.pgflow.util.Checks;
import org.pgflow.util.JsonFields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pgflow solve}: the soft-optimal solution of a finite MDP by soft value iteration (docs/algorithms.md §1.3). */
@Command(name = "solve", mixinStandardHelpOptions = true,
        description = "Solve a finite MDP exactly (soft value iteration; tau = 0 gives the ordinary optimum). "
                + "Prints JSON {V, Q, policy, valueAtInitial}.")
final class SolveCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--mdp", required = true, paramLabel = "FILE", description = "model file (*.mdp.json)")
    Path mdp;

    @Option(names = "--tau", required = true, paramLabel = "T", description = "entropy strength tau >= 0")
    double tau;

    @Option(names = "--out", paramLabel = "FILE", description = "write the JSON here instead of standard output")
    Path out;

    @Override
    public Integer call() {
        Checks.nonNegative("--tau", tau);
        SoftOptimum opt = ExactSolver.softValueIteration(ModelFiles.loadMdp(mdp), tau);
        ObjectNode o = JsonFields.MAPPER.createObjectNode();
        Output.putVector(o.putArray("V"), opt.v());
        Output.putMatrix(o.putArray("Q"), opt.q());
        Output.putMatrix(o.putArray("policy"), opt.policy());
        o.put("valueAtInitial", opt.valueAtInitial());
        Output.emit(o, out, spec.commandLine().getOut());
        return 0;
    }
}
