package dev.oneshot.core.gradcheck;

import dev.oneshot.core.tensor.Tensor;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One row of the op table {@link OpChecks}: a unique name (the op's API name, then what the row
 * varies: {@code "matmul Aᵀ·B"}), the function that builds the op from its inputs, the inputs
 * as data, and the checker's step and tolerances.
 *
 * @param name    unique within the table; {@code oneshot gradcheck} prints it
 * @param op      y = op(x₀, …, xₙ₋₁), built only from the tensors it is given
 * @param inputs  x₀ … xₙ₋₁, created fresh for each run
 * @param options step and tolerances of {@link GradCheck#check(String, Function, GradCheck.Options, Tensor...)}
 */
public record OpCheck(String name, Function<Tensor[], Tensor> op, List<CheckInput> inputs, GradCheck.Options options) {

    public OpCheck {
        Objects.requireNonNull(name, "OpCheck: name");
        Objects.requireNonNull(op, "OpCheck " + name + ": op");
        Objects.requireNonNull(options, "OpCheck " + name + ": options");
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("OpCheck " + name + ": needs at least one input");
        }
    }

    /** Fresh leaf tensors for the inputs (requiresGrad set). */
    public Tensor[] freshInputs() {
        Tensor[] t = new Tensor[inputs.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = inputs.get(i).create();
        }
        return t;
    }

    /** The full-Jacobian gradient check of this row on fresh inputs. */
    public GradCheckReport run() {
        return GradCheck.check(name, op, options, freshInputs());
    }

    /** The name: JUnit shows it as the parameterized test's display name. */
    @Override
    public String toString() {
        return name;
    }
}
