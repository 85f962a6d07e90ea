package dev.oneshot.core.gradcheck;

import dev.oneshot.core.gradcheck.RecordedOpScan.Result;
import dev.oneshot.core.gradcheck.RecordedOpScan.Site;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The coverage check of {@link GradCheckTableTest} must be able to fail: these feed
 * {@link RecordedOpScan} and {@link RecordedOpCoverage} made-up sources and show that a new
 * recorded op without a row is reported with its name, file and line, that every way core
 * passes an op name is read, and that a name the scan cannot read is a problem, not a skip.
 */
class RecordedOpScanTest {

    private static List<Site> sites(String file, String source) {
        Result r = RecordedOpScan.scanSource(file, source);
        assertEquals(List.of(), r.problems());
        return r.sites();
    }

    @Test
    void aNewRecordedOpWithoutARowIsReportedWithItsNameAndFile() {
        String source = """
                package dev.oneshot.core.ops;

                final class Cube {
                    static Tensor apply(Tensor x) {
                        return Node.record("cube", cubed(x), x.shape(), g -> { }, x);
                    }
                }
                """;
        List<Site> found = sites("ops/Cube.java", source);
        assertEquals(List.of(new Site("cube", "ops/Cube.java", 5)), found);
        List<String> missing = RecordedOpCoverage.uncovered(found, RecordedOpCoverage.coveredBy(OpChecks.all()), "OpChecks");
        assertEquals(List.of("op \"cube\" recorded at ops/Cube.java:5 has no gradient-check row in OpChecks"), missing);
    }

    @Test
    void aCoveredOpIsNotReported() {
        List<Site> found = sites("Pow.java", "class Pow { Tensor f() { return Node.record(\"pow\", d, s, g -> { }, x); } }");
        assertEquals(List.of(), RecordedOpCoverage.uncovered(found, Set.of("pow", "exp"), "OpChecks"));
        assertEquals(1, RecordedOpCoverage.uncovered(found, Set.of("exp"), "OpChecks").size());
    }

    @Test
    void readsConstantsTernaryLocalsAndEnumFields() {
        assertEquals(List.of(new Site("conv2d", "A.java", 3)), sites("A.java", """
                final class A {
                    private static final String OP = "conv2d";
                    Tensor f() { return Node.record(OP, d, s, g -> { }, x); }
                }
                """));
        assertEquals(List.of(new Site("max", "B.java", 3), new Site("min", "B.java", 3)), sites("B.java", """
                final class B {
                    Tensor f(boolean max) { String op = max ? "max" : "min";
                        return Node.record(op, d, s, g -> { }, x); }
                }
                """));
        List<Site> e = sites("C.java", """
                enum C {
                    /** "q" is not a constant */
                    SIN("sin", 1) { float v(float x) { return (float) Math.sin(x); } },
                    COS("cos", 2),;
                    private final String opName;
                    C(String opName, int arity) { this.opName = opName; }
                    Tensor f() { return Node.record(SIN.opName, d, s, g -> { }, x); }
                }
                """);
        assertEquals(List.of("sin", "cos"), e.stream().map(Site::op).toList());
    }

    @Test
    void ignoresCommentsAndStrings() {
        assertEquals(List.of(), sites("D.java", """
                /** Calls Node.record("ghost", ...). */
                final class D {
                    // Node.record("ghost2", d, s, g, x);
                    String s = "Node.record(\\"ghost3\\", d)";
                    char q = '"';
                }
                """));
    }

    @Test
    void aNameTheScanCannotReadIsAProblemNamingFileAndLine() {
        Result r = RecordedOpScan.scanSource("E.java", """
                final class E {
                    Tensor f(String kind) {
                        return Node.record("fused-" + kind, d, s, g -> { }, x);
                    }
                    Tensor h() { return Node.record(names.get(0), d, s, g -> { }, x); }
                    Tensor k() { return Node.record(Other.NAME, d, s, g -> { }, x); }
                }
                """);
        assertEquals(List.of(), r.sites());
        assertEquals(3, r.problems().size(), r.problems()::toString);
        assertTrue(r.problems().get(0).startsWith("E.java:3: cannot read the op name of Node.record(\"fused-\" + kind"),
                r.problems().get(0));
        assertTrue(r.problems().get(1).startsWith("E.java:5:"), r.problems().get(1));
        assertTrue(r.problems().get(2).startsWith("E.java:6:"), r.problems().get(2));
    }

    @Test
    void aLocalBuiltByConcatenationIsAProblem() {
        Result r = RecordedOpScan.scanSource("F.java", """
                final class F { Tensor f(int k) { String op = "pool" + k; return Node.record(op, d, s, g -> { }, x); } }
                """);
        assertEquals(1, r.problems().size(), r.problems()::toString);
    }

    @Test
    void waysAroundTheScanAreProblems() {
        Result r = RecordedOpScan.scanSource("G.java", """
                import static dev.oneshot.core.autograd.Node.record;
                final class G { Tensor f() { return Tensor.fromNode(d, s, node); } }
                """);
        assertEquals(2, r.problems().size(), r.problems()::toString);
        assertTrue(r.problems().get(0).contains("imports Node.record statically"), r.problems().get(0));
        assertTrue(r.problems().get(1).startsWith("G.java:2: calls Tensor.fromNode directly"), r.problems().get(1));
        assertEquals(List.of(), RecordedOpScan.scanSource("dev/oneshot/core/tensor/Tensor.java",
                "class Tensor { public static Tensor fromNode(float[] d, int[] s, Node n) { return null; } }").problems());
    }
}
