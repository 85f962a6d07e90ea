package dev.oneshot.nn.layers;

import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;

import java.util.List;

/**
 * Several networks side by side on the same input: y = [f₁(x), f₂(x), …, fₘ(x)], the branches'
 * outputs [N, dᵢ] joined along the feature axis into [N, Σ dᵢ]. An ensemble of embedding
 * networks is one: with squared Euclidean distances, ‖y(a) − y(b)‖² = Σᵢ ‖fᵢ(a) − fᵢ(b)‖², so
 * comparing the joined embeddings compares the members' distances summed.
 *
 * <p>Backward hands branch i its own block of columns of ∂L/∂y (core's {@code concat}); the
 * branches share nothing else, so each gets exactly the gradient it would get alone. Children
 * are named "0", "1", … in order ({@code 0.3.weight} is layer 3 of branch 0), as the children
 * of a PyTorch {@code nn.ModuleList} whose forward concatenates them along dimension 1.
 */
public final class ConcatBranches extends Module {
    private final int size;

    public ConcatBranches(Module... branches) {
        if (branches.length == 0) {
            throw new IllegalArgumentException("ConcatBranches: needs at least one branch");
        }
        for (int i = 0; i < branches.length; i++) {
            if (branches[i] == null) {
                throw new IllegalArgumentException("ConcatBranches: branch " + i + " is null");
            }
            registerModule(Integer.toString(i), branches[i]);
        }
        size = branches.length;
    }

    /** The branch at position {@code index}. */
    public Module get(int index) {
        return child(Integer.toString(index));
    }

    /** Number of branches. */
    public int size() {
        return size;
    }

    /**
     * Each branch on {@code input}, outputs joined along axis 1.
     *
     * @throws IllegalArgumentException if a branch's output is not [N, d] with the same N as the others
     */
    @Override
    public Tensor forward(Tensor input) {
        Tensor[] parts = new Tensor[size];
        for (int i = 0; i < size; i++) {
            Tensor y = get(i).forward(input);
            if (y.rank() != 2 || (i > 0 && y.size(0) != parts[0].size(0))) {
                throw new IllegalArgumentException("ConcatBranches: branch " + i + " gave shape "
                        + java.util.Arrays.toString(y.shape()) + "; every branch must give [N, d]"
                        + (i > 0 ? " with N = " + parts[0].size(0) : ""));
            }
            parts[i] = y;
        }
        return size == 1 ? parts[0] : Tensor.concat(1, parts);
    }

    /** {@code ConcatBranches[spec0,spec1,...]}. */
    @Override
    public String spec() {
        StringBuilder b = new StringBuilder("ConcatBranches[");
        List<Module> children = List.copyOf(namedChildren().values());
        for (int i = 0; i < children.size(); i++) {
            b.append(i > 0 ? "," : "").append(children.get(i).spec());
        }
        return b.append(']').toString();
    }
}
