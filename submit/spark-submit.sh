#!/usr/bin/env bash
# Submits pgflow to an existing Spark cluster with that installation's own spark-submit.
#
#   submit/spark-submit.sh [spark-submit options...] -- run conf/t1-meanfield.yaml --set seed=2
#
# Everything before "--" goes to spark-submit, everything after it to pgflow (org.pgflow.cli.Main).
# Uses $SPARK_HOME/bin/spark-submit (Spark 4.1.x, Scala 2.13). The application jar target/pgflow.jar is built
# if needed; pgflow's third-party libraries that a Spark distribution does not ship (picocli, Jackson YAML,
# SnakeYAML, XChart) are passed with --jars. Examples:
#   standalone:  submit/spark-submit.sh --master spark://HOST:7077 --deploy-mode client \
#                  --conf spark.executor.memory=8g --conf spark.cores.max=32 -- run conf/x.yaml
#   YARN:        submit/spark-submit.sh --master yarn --deploy-mode client --num-executors 16 \
#                  --executor-cores 4 --executor-memory 8g -- run conf/x.yaml
#   Kubernetes:  submit/spark-submit.sh --master k8s://https://API:6443 --deploy-mode client \
#                  --conf spark.kubernetes.container.image=IMAGE --conf spark.executor.instances=8 -- run conf/x.yaml
# In client mode the run directory is written on the submitting machine; on a multi-host cluster set
# checkpointEvery's lineage directory on shared storage with --conf spark.checkpoint.dir=hdfs://... .
# Use --deploy-mode client: pgflow writes its run directory from the driver.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -z "${SPARK_HOME:-}" || ! -x "$SPARK_HOME/bin/spark-submit" ]]; then
  echo "spark-submit.sh: set SPARK_HOME to a Spark 4.1 (Scala 2.13) installation with bin/spark-submit" >&2
  echo "  (for the loopback cluster of submit/cluster-up use: submit/pgflow run CONFIG --master \$(cat target/cluster/master-url))" >&2
  exit 2
fi
submit_args=()
while [[ $# -gt 0 && "$1" != "--" ]]; do
  submit_args+=("$1")
  shift
done
if [[ $# -eq 0 ]]; then
  echo "usage: submit/spark-submit.sh [spark-submit options...] -- COMMAND [pgflow args...]" >&2
  exit 2
fi
shift

jar="$root/target/pgflow.jar"
if [[ ! -f "$jar" || -n "$(find "$root/src/main" "$root/pom.xml" -newer "$jar" -print -quit)" ]]; then
  (cd "$root" && mvn -B -q -Dstyle.color=never -DskipTests package) >&2
fi
third_party="$(tr ':' '\n' < "$root/target/classpath.txt" \
  | grep -E '/(picocli|jackson-dataformat-yaml|snakeyaml|xchart)-[^/]*\.jar$' | paste -sd, -)"

exec "$SPARK_HOME/bin/spark-submit" \
  --class org.pgflow.cli.Main \
  --conf spark.serializer=org.apache.spark.serializer.KryoSerializer \
  --conf spark.kryo.registrator=org.pgflow.spark.PgflowKryoRegistrator \
  --conf spark.kryo.registrationRequired=true \
  --conf "spark.driver.extraJavaOptions=-Dpgflow.home=$root -Dlog4j2.configurationFile=$root/conf/log4j2.properties" \
  --jars "$third_party" \
  "${submit_args[@]}" \
  "$jar" "$@"
