package org.pgflow.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.pgflow.mdp.ModelFiles;
import org.pgflow.mdp.Ssp;
import org.pgflow.policy.TabularPolicy;
import org.pgflow.util.Checks;
import org.pgflow.util.JsonFields;
import org.pgflow.variance.SspMoments;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pgflow moments}: exact return moments and ∇η of a tabular policy on an SSP (docs/algorithms.md §4.3–4.5). */
@Command(name = "moments", mixinStandardHelpOptions = true,
        description = "Exact moments of the episodic return of a tabular policy on an SSP, and the gradient of "
                + "eta = J - lambda*Var with respect to the policy's softmax logits. "
                + "Prints JSON {J, M, Var, JQ, MQ, eta, gradEta}.")
final class MomentsCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--ssp", required = true, paramLabel = "FILE", description = "problem file (*.ssp.json)")
    Path ssp;

    @Option(names = "--policy", required = true, paramLabel = "FILE", description = "policy file (*.policy.json)")
    Path policy;

    @Option(names = "--lambda", paramLabel = "L", defaultValue = "0", description = "variance penalty lambda >= 0 (default ${DEFAULT-VALUE})")
    double lambda;

    @Option(names = "--out", paramLabel = "FILE", description = "write the JSON here instead of standard output")
    Path out;

    @Override
    public Integer call() {
        Checks.nonNegative("--lambda", lambda);
        Ssp problem = ModelFiles.loadSsp(ssp);
        double[][] pi = TabularPolicy.load(policy, problem.numStates(), problem.numActions());
        SspMoments.Result r = SspMoments.compute(problem, pi, lambda);
        ObjectNode o = JsonFields.MAPPER.createObjectNode();
        Output.putVector(o.putArray("J"), r.j());
        Output.putVector(o.putArray("M"), r.m());
        Output.putVector(o.putArray("Var"), r.var());
        Output.putMatrix(o.putArray("JQ"), r.jq());
        Output.putMatrix(o.putArray("MQ"), r.mq());
        o.put("eta", r.eta());
        Output.putMatrix(o.putArray("gradEta"), r.gradEta());
        Output.emit(o, out, spec.commandLine().getOut());
        return 0;
    }
}
