package org.pgflow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The loopback standalone cluster of {@code submit/cluster-up} / {@code submit/cluster-down}, seen from a test: its
 * state directory, recorded PIDs, executor JVMs and listening sockets.
 */
final class LoopbackCluster {
    static final Path STATE = Pgflow.ROOT.resolve("target/cluster");
    static final String EXECUTOR_CLASS = "org.apache.spark.executor.CoarseGrainedExecutorBackend";

    /** Whether this JVM started the cluster (and so must stop it); false when one was already up. */
    final boolean started;
    /** Wall time of submit/cluster-up (NaN when the cluster was already up). */
    final double startupSeconds;
    /** What cluster-up printed. */
    final String startupOutput;

    private LoopbackCluster(boolean started, double startupSeconds, String startupOutput) {
        this.started = started;
        this.startupSeconds = startupSeconds;
        this.startupOutput = startupOutput;
    }

    /**
     * Runs submit/cluster-up. A cluster that is already up (started by someone else from this checkout) is used
     * as it is and left running: the tests stop only what they started.
     */
    static LoopbackCluster up() {
        if (isUp()) {
            System.out.println("[it] a loopback cluster is already up (" + read("master-url")
                    + "), not started by these tests: using it and leaving it running");
            return new LoopbackCluster(false, Double.NaN, "");
        }
        long t0 = System.nanoTime();
        Script r = script("submit/cluster-up", 300);
        double s = (System.nanoTime() - t0) / 1e9;
        if (r.exit != 0) {
            script("submit/cluster-down", 120);
            fail("submit/cluster-up failed (exit " + r.exit + "):\n" + r.output);
        }
        System.out.printf("[it] submit/cluster-up: %.1f s wall (%s)%n", s, r.output.strip().replace('\n', ' '));
        return new LoopbackCluster(true, s, r.output.strip());
    }

    /** Runs submit/cluster-down if this JVM started the cluster. */
    void down() {
        if (started) {
            Script r = script("submit/cluster-down", 180);
            System.out.println("[it] submit/cluster-down: exit " + r.exit + ": " + r.output.strip());
        }
    }

    static boolean isUp() {
        Path pid = STATE.resolve("master.pid");
        if (!Files.exists(pid)) {
            return false;
        }
        return ProcessHandle.of(Long.parseLong(read("master.pid"))).map(ProcessHandle::isAlive).orElse(false);
    }

    String masterUrl() {
        return read("master-url");
    }

    /** @return the daemon PIDs recorded in target/cluster/*.pid, by file name */
    static Map<String, Long> daemonPids() {
        Map<String, Long> m = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(STATE)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".pid")).sorted().toList()) {
                m.put(p.getFileName().toString(), Long.parseLong(Files.readString(p).strip()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    static List<Long> workerPids() {
        List<Long> l = new ArrayList<>();
        daemonPids().forEach((f, p) -> {
            if (f.startsWith("worker-")) {
                l.add(p);
            }
        });
        return l;
    }

    /** Executor JVMs: children of the worker JVMs running CoarseGrainedExecutorBackend, with their command line. */
    static Map<Long, String> executors() {
        Map<Long, String> m = new LinkedHashMap<>();
        for (long w : workerPids()) {
            ProcessHandle.of(w).ifPresent(h -> h.children().forEach(c -> {
                String cmd = cmdline(c.pid());
                if (cmd.contains(EXECUTOR_CLASS)) {
                    m.put(c.pid(), cmd);
                }
            }));
        }
        return m;
    }

    /** /proc/PID/cmdline with NULs as spaces ("" when the process is gone). */
    static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** A listening TCP socket: local address, port and owning PID. */
    record Listener(long pid, String address, int port) {
        boolean loopback() {
            String a = address.toLowerCase();
            return a.startsWith("127.") || a.equals("::1") || a.startsWith("::ffff:127.");
        }
    }

    /** Listening TCP sockets of the given PIDs: from {@code ss -ltnp} when available, else /proc/net/tcp{,6}. */
    static List<Listener> listeners(Set<Long> pids) {
        List<Listener> ss = listenersFromSs(pids);
        return ss != null ? ss : listenersFromProc(pids);
    }

    private static final Pattern SS_PID = Pattern.compile("pid=(\\d+)");

    /** @return null when ss is not available */
    static List<Listener> listenersFromSs(Set<Long> pids) {
        Script r;
        try {
            r = run(List.of("ss", "-H", "-ltnp"), 30);
        } catch (UncheckedIOException e) {
            return null;
        }
        if (r.exit != 0) {
            return null;
        }
        List<Listener> l = new ArrayList<>();
        for (String line : r.output.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 6 || !f[0].equals("LISTEN")) {
                continue;
            }
            String local = f[3];
            int colon = local.lastIndexOf(':');
            String addr = local.substring(0, colon).replace("[", "").replace("]", "");
            int port = Integer.parseInt(local.substring(colon + 1));
            int pct = addr.indexOf('%'); // 127.0.0.1%lo
            if (pct >= 0) {
                addr = addr.substring(0, pct);
            }
            Matcher m = SS_PID.matcher(line);
            while (m.find()) {
                long pid = Long.parseLong(m.group(1));
                if (pids.contains(pid)) {
                    l.add(new Listener(pid, addr, port));
                }
            }
        }
        return l;
    }

    /** Listening sockets from /proc/net/tcp and tcp6, owners found through /proc/PID/fd socket inodes. */
    static List<Listener> listenersFromProc(Set<Long> pids) {
        Map<String, Long> inodeOwner = new HashMap<>();
        for (long pid : pids) {
            try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                for (Path fd : fds.toList()) {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[")) {
                            inodeOwner.put(target.substring(8, target.length() - 1), pid);
                        }
                    } catch (IOException ignored) {
                        // fd closed meanwhile
                    }
                }
            } catch (IOException ignored) {
                // process gone
            }
        }
        List<Listener> l = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10 || !f[3].equals("0A")) { // 0A = LISTEN
                    continue;
                }
                Long owner = inodeOwner.get(f[9]);
                if (owner == null) {
                    continue;
                }
                String[] hp = f[1].split(":");
                l.add(new Listener(owner, procAddress(hp[0]), Integer.parseInt(hp[1], 16)));
            }
        }
        return l;
    }

    /** Kernel hex address (little-endian 32-bit words) to text. */
    static String procAddress(String hex) {
        byte[] b = new byte[hex.length() / 2];
        for (int w = 0; w < b.length / 4; w++) {
            for (int i = 0; i < 4; i++) {
                b[w * 4 + i] = (byte) Integer.parseInt(hex.substring(w * 8 + (3 - i) * 2, w * 8 + (3 - i) * 2 + 2), 16);
            }
        }
        try {
            String s = java.net.InetAddress.getByAddress(b).getHostAddress();
            if (b.length == 16 && b[10] == (byte) 0xff && b[11] == (byte) 0xff && allZero(b, 10)) {
                return "::ffff:" + (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
            }
            return s.equals("0:0:0:0:0:0:0:1") ? "::1" : s;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean allZero(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Asserts every listed PID listens somewhere, and only on loopback. */
    static void assertLoopbackOnly(Map<Long, String> who) {
        List<Listener> ls = listeners(who.keySet());
        Set<Long> seen = new TreeSet<>();
        StringBuilder bad = new StringBuilder();
        for (Listener l : ls) {
            seen.add(l.pid());
            if (!l.loopback()) {
                bad.append("  ").append(who.get(l.pid())).append(" (pid ").append(l.pid()).append(") listens on ")
                        .append(l.address()).append(':').append(l.port()).append('\n');
            }
        }
        System.out.println("[it] listening sockets of " + who.values() + ": " + ls);
        if (bad.length() > 0) {
            fail("processes of the loopback cluster listen on non-loopback addresses:\n" + bad);
        }
        assertEquals(who.keySet(), seen, "every checked process should have at least one listening socket (else the "
                + "socket listing is broken and the check would be vacuous): " + ls);
    }

    static String read(String file) {
        try {
            return Files.readString(STATE.resolve(file)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Script(int exit, String output) {
    }

    static Script script(String path, long timeoutSeconds) {
        return run(List.of(Pgflow.ROOT.resolve(path).toString()), timeoutSeconds);
    }

    /** Runs a command (stdout and stderr merged) with a timeout; its process tree is killed on timeout. */
    static Script run(List<String> cmd, long timeoutSeconds) {
        try {
            Path out = Files.createTempFile("pgflow-it", ".out");
            try {
                ProcessBuilder pb = new ProcessBuilder(cmd).directory(Pgflow.ROOT.toFile()).redirectErrorStream(true)
                        .redirectOutput(out.toFile());
                pb.environment().remove("_SPARK_AUTH_SECRET");
                Process p = pb.start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    Pgflow.destroyTree(p.toHandle());
                    p.waitFor(10, TimeUnit.SECONDS);
                    return new Script(-1, cmd + " timed out after " + timeoutSeconds + " s\n" + Files.readString(out));
                }
                return new Script(p.exitValue(), Files.readString(out));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
