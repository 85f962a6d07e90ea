package dev.oneshot.app.cli;

import dev.oneshot.core.gradcheck.GradCheck;
import dev.oneshot.core.gradcheck.SabotagedMatMul;
import dev.oneshot.core.gradcheck.SabotagedMatMul.Bug;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.app.cli.GradcheckCatalog.Check;
import dev.oneshot.app.cli.GradcheckCatalog.Kind;

import java.util.ArrayList;
import java.util.List;

import static dev.oneshot.core.gradcheck.KinkFreeInputs.away;

/**
 * A checker that cannot fail proves nothing: square matmuls C = A·B whose backward is broken on
 * purpose. Each control is ok when the checker rejects it. The same op with its correct
 * backward is a row of {@link dev.oneshot.core.gradcheck.OpChecks} ("hand-written matmul (correct
 * backward)", same inputs), run as an ordinary op check, so a control is not "caught" merely
 * because the hand-written op is wrong everywhere.
 */
final class NegativeControls {
    private NegativeControls() {
    }

    static List<Check> all() {
        List<Check> c = new ArrayList<>();
        c.add(control("backward × 1.01 on one element", Bug.SCALE_ONE_ELEMENT, false));
        c.add(control("transposed gradient", Bug.TRANSPOSED, false));
        c.add(control("assigns instead of accumulating (A·A)", Bug.ASSIGN_INSTEAD_OF_ACCUMULATE, true));
        c.add(control("ignores the upstream gradient", Bug.IGNORES_UPSTREAM, false));
        return c;
    }

    private static Check control(String name, Bug bug, boolean shared) {
        return new Check(name, Kind.NEGATIVE_CONTROL, () -> shared
                ? GradCheck.check(name, x -> matmul(bug, x[0], x[0]), away(9, 4, 4))
                : GradCheck.check(name, x -> matmul(bug, x[0], x[1]), away(7, 4, 4), away(8, 4, 4)));
    }

    private static Tensor matmul(Bug bug, Tensor a, Tensor b) {
        return SabotagedMatMul.apply(bug, a, b, 5);
    }
}
