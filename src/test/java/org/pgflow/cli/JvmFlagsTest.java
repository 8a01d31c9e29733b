package org.pgflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.pgflow.TestSupport;

/** The launcher's JVM flags (submit/jvm-flags) and Surefire's (pom.xml spark.jvm.flags) are the same list. */
class JvmFlagsTest {
    @Test
    void launcherAndSurefireUseTheSameFlags() throws Exception {
        String pom = Files.readString(TestSupport.ROOT.resolve("pom.xml"));
        Matcher m = Pattern.compile("<spark.jvm.flags>(.*?)</spark.jvm.flags>").matcher(pom);
        m.find();
        String launcher = String.join(" ", Files.readAllLines(TestSupport.ROOT.resolve("submit/jvm-flags"))).trim();
        assertEquals(launcher, m.group(1).trim());
    }
}
