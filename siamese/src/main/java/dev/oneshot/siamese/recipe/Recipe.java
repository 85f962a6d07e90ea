package dev.oneshot.siamese.recipe;

import dev.oneshot.core.json.Json;
import dev.oneshot.core.json.JsonObject;
import dev.oneshot.siamese.data.Augmentation;
import dev.oneshot.siamese.data.ComposedClasses;
import dev.oneshot.siamese.data.InputSpec;
import dev.oneshot.siamese.data.RotatedClasses;
import dev.oneshot.siamese.nets.NetworkSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A way of training: everything a run needs besides the data, the seed and how long it may take.
 * Built-in recipes are in {@link Recipes}; a recipe is stored in every model card it trained and
 * can be written to a JSON file, edited and read back ({@link #save}, {@link #load}).
 *
 * <p>What a run does with it ({@link dev.oneshot.siamese.train.SiameseTrainer}): build
 * {@code network} for {@code input} from the seed, compose {@code composedClasses} new classes per
 * training class, turn the classes into {@code classTurns} times as many, then {@code steps} times
 * draw a P×K batch
 * ({@code classesPerBatch} classes × {@code perClass} images), distort it with
 * {@code augmentation}, embed it (unit length when {@code normalize}), and take one
 * {@code optimizer} step on {@code objective} at the rate {@code schedule} gives; validate per
 * {@code validation} and keep the best weights. Given minutes instead of steps, the same
 * schedule is laid over the minutes.
 *
 * @param name            a short identifier ({@code [a-z0-9-]+}), e.g. {@code faces}
 * @param summary         one line: what it is for
 * @param network         the embedding network
 * @param input           image size, inversion, mirror averaging
 * @param normalize       embeddings on the unit sphere
 * @param augmentation    the distortion of training batches
 * @param objective       the loss (and, for triplets, the miner)
 * @param classesPerBatch P of a P×K batch (at most the training classes; a run with fewer uses them all)
 * @param perClass        K of a P×K batch
 * @param optimizer       the optimiser and its base rate
 * @param schedule        the learning rate over the run
 * @param steps           optimiser steps when the run is given no time budget
 * @param validation      how the run validates and keeps its best weights
 * @param classTurns      1, or 2 / 4 to train on every class also turned by 180° (and 90°, 270°),
 *                        or 8 for those four turns of the image and of its mirror image,
 *                        as classes of their own ({@link RotatedClasses}: for characters, where a
 *                        turned glyph reads as another one; 90° turns need square inputs)
 * @param members         1, or the size of an ensemble: that many networks trained one after another
 *                        (member i from the run's seed + 1000·i, each on the whole schedule, or an equal
 *                        share of a time budget), whose embeddings (each of unit length when
 *                        {@code normalize}) are joined side by side, so the model's squared distance is
 *                        the sum of the members' ({@link dev.oneshot.siamese.train.TrainingRun#fit})
 * @param projectionHead  the network's last linear layer (and what follows it) is a projection head:
 *                        the objective scores its output in training, and the trained model embeds
 *                        with the layers before it — features not yet fitted to the training classes'
 *                        own distinctions, which transfer better to new classes (the finding of
 *                        SimCLR, Chen et al. 2020, and of representation learning before it)
 * @param composedClasses 0, or how many new classes per training class to compose from pairs of them
 *                        ({@link ComposedClasses}: one's upper or left half with the other's lower or
 *                        right half, or both strokes on one sheet — for characters, where such a glyph
 *                        reads as a new one), before the turns
 * @param memberObjectives empty (every member trains with {@code objective}), or one objective per
 *                        member, the first equal to {@code objective}: an ensemble of networks trained
 *                        on different losses, whose mistakes differ more than those of one loss's seeds
 */
public record Recipe(String name, String summary, NetworkSpec network, InputSpec input, boolean normalize,
                     Augmentation augmentation, Objective objective, int classesPerBatch, int perClass,
                     OptimizerSpec optimizer, Schedule schedule, int steps, Validation validation, int classTurns,
                     int members, boolean projectionHead, double composedClasses, List<Objective> memberObjectives) {
    /** The most members a recipe may ask for. */
    public static final int MAX_MEMBERS = 16;
    /** The most composed classes a recipe may ask for, per training class. */
    public static final double MAX_COMPOSED = 100;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    public Recipe {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Recipe: name must be 1–64 of [a-z0-9-] starting with a letter or digit, got '"
                    + name + "'");
        }
        if (summary == null || network == null || input == null || augmentation == null || objective == null
                || optimizer == null || schedule == null || validation == null) {
            throw new IllegalArgumentException("Recipe '" + name + "': no field may be null");
        }
        if (classesPerBatch < 2 || perClass < 2) {
            throw new IllegalArgumentException("Recipe '" + name + "': need P ≥ 2 classes and K ≥ 2 images per batch, got P="
                    + classesPerBatch + " K=" + perClass);
        }
        if (objective instanceof Objective.Prototypical proto && perClass <= proto.shots()) {
            throw new IllegalArgumentException("Recipe '" + name + "': the prototypical objective with " + proto.shots()
                    + " shot(s) needs K > " + proto.shots() + " images per class in a batch (one left as a query), got K="
                    + perClass);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("Recipe '" + name + "': steps must be ≥ 1, got " + steps);
        }
        if (classTurns != 1 && classTurns != 2 && classTurns != 4 && classTurns != 8) {
            throw new IllegalArgumentException("Recipe '" + name + "': class_turns must be 1, 2, 4 or 8, got " + classTurns);
        }
        if (classTurns > 2 && input.height() != input.width()) {
            throw new IllegalArgumentException("Recipe '" + name + "': class_turns " + classTurns
                    + " turns images by 90°, which needs a square input, got " + input.height() + "×" + input.width());
        }
        if (!(composedClasses >= 0 && composedClasses <= MAX_COMPOSED)) {
            throw new IllegalArgumentException("Recipe '" + name + "': composed_classes must be 0–" + MAX_COMPOSED
                    + " new classes per training class, got " + composedClasses);
        }
        if (members < 1 || members > MAX_MEMBERS) {
            throw new IllegalArgumentException("Recipe '" + name + "': members must be 1–" + MAX_MEMBERS + ", got "
                    + members);
        }
        if (members > 1 && objective instanceof Objective.Binary) {
            throw new IllegalArgumentException("Recipe '" + name + "': the binary objective scores pairs with its own "
                    + "head, which an ensemble of embedding networks does not have; set members to 1");
        }
        if (normalize && objective instanceof Objective.Binary) {
            throw new IllegalArgumentException("Recipe '" + name + "': the binary objective learns from |f(x₁) − f(x₂)| "
                    + "and takes unnormalised embeddings; set normalize to false");
        }
        if (projectionHead && objective instanceof Objective.Binary) {
            throw new IllegalArgumentException("Recipe '" + name + "': the binary objective's head scores the embedding "
                    + "it was trained on; a projection head would take that embedding away; set projection_head to false");
        }
        memberObjectives = memberObjectives == null ? List.of() : List.copyOf(memberObjectives);
        if (!memberObjectives.isEmpty()) {
            if (memberObjectives.size() != members) {
                throw new IllegalArgumentException("Recipe '" + name + "': member_objectives needs one objective per "
                        + "member (" + members + "), got " + memberObjectives.size());
            }
            if (!memberObjectives.get(0).equals(objective)) {
                throw new IllegalArgumentException("Recipe '" + name + "': member_objectives[0] must be the recipe's "
                        + "objective (the first member's), got " + memberObjectives.get(0).kind() + " beside "
                        + objective.kind());
            }
            for (int i = 0; i < memberObjectives.size(); i++) {
                if (memberObjectives.get(i) instanceof Objective.Binary) {
                    throw new IllegalArgumentException("Recipe '" + name + "': member_objectives[" + i + "] is binary, "
                            + "whose head an ensemble of embedding networks does not have");
                }
            }
        }
    }

    /** The same as the canonical form, every member training with {@code objective}. */
    public Recipe(String name, String summary, NetworkSpec network, InputSpec input, boolean normalize,
                  Augmentation augmentation, Objective objective, int classesPerBatch, int perClass,
                  OptimizerSpec optimizer, Schedule schedule, int steps, Validation validation, int classTurns,
                  int members, boolean projectionHead, double composedClasses) {
        this(name, summary, network, input, normalize, augmentation, objective, classesPerBatch, perClass, optimizer,
                schedule, steps, validation, classTurns, members, projectionHead, composedClasses, List.of());
    }

    /** A recipe that trains on its classes as they are ({@code classTurns} 1). */
    public Recipe(String name, String summary, NetworkSpec network, InputSpec input, boolean normalize,
                  Augmentation augmentation, Objective objective, int classesPerBatch, int perClass,
                  OptimizerSpec optimizer, Schedule schedule, int steps, Validation validation) {
        this(name, summary, network, input, normalize, augmentation, objective, classesPerBatch, perClass, optimizer,
                schedule, steps, validation, 1, 1);
    }

    /** A recipe whose model embeds with its whole network ({@code projectionHead} false). */
    public Recipe(String name, String summary, NetworkSpec network, InputSpec input, boolean normalize,
                  Augmentation augmentation, Objective objective, int classesPerBatch, int perClass,
                  OptimizerSpec optimizer, Schedule schedule, int steps, Validation validation, int classTurns,
                  int members) {
        this(name, summary, network, input, normalize, augmentation, objective, classesPerBatch, perClass, optimizer,
                schedule, steps, validation, classTurns, members, false, 0);
    }

    /** A recipe of one network ({@code members} 1). */
    public Recipe(String name, String summary, NetworkSpec network, InputSpec input, boolean normalize,
                  Augmentation augmentation, Objective objective, int classesPerBatch, int perClass,
                  OptimizerSpec optimizer, Schedule schedule, int steps, Validation validation, int classTurns) {
        this(name, summary, network, input, normalize, augmentation, objective, classesPerBatch, perClass, optimizer,
                schedule, steps, validation, classTurns, 1);
    }

    public Recipe withName(String v) {
        return new Recipe(v, summary, network, input, normalize, augmentation, objective, classesPerBatch, perClass,
                optimizer, schedule, steps, validation, classTurns, members, projectionHead, composedClasses, memberObjectives);
    }

    public Recipe withSummary(String v) {
        return new Recipe(name, v, network, input, normalize, augmentation, objective, classesPerBatch, perClass,
                optimizer, schedule, steps, validation, classTurns, members, projectionHead, composedClasses, memberObjectives);
    }

    public Recipe withNetwork(NetworkSpec v) {
        return new Recipe(name, summary, v, input, normalize, augmentation, objective, classesPerBatch, perClass,
                optimizer, schedule, steps, validation, classTurns, members, projectionHead, composedClasses, memberObjectives);
    }

    public Recipe withInput(InputSpec v) {
        return new Recipe(name, summary, network, v, normalize, augmentation, objective, classesPerBatch, perClass,
                optimizer, schedule, steps, validation, classTurns, members, projectionHead, composedClasses, memberObjectives);
    }

    /** The same with embeddings normalised ({@code true}) or not. */
    public Recipe withNormalize(boolean v) {
        return new Recipe(name, summary, network, input, v, augmentation, objective, classesPerBatch, perClass,
                optimizer, schedule, steps, validation, classTurns, members, projectionHead, composedClasses, memberObjectives);
    }

    public Recipe withAugmentation(Augmentation v) {
        return new Recipe(name, summary, network, input, normalize, v, objective, classesPerBatch, perClass,
                optimizer, schedule, steps, validation, classTurns, members, projectionHead, composedClasses, memberObjectives);
    }

    /**
     * The same with another objective for every member (any {@link #memberObjectives} dropped); the
     * binary one turns normalisation off (it needs raw embeddings) and trains one network (its head
     * scores pairs of one embedding).
     */
    public Recipe withObjective(Objective v) {
        boolean binary = v instanceof Objective.Binary;
        return new Recipe(name, summary, network, input, normalize && !binary, augmentation, v,
                classesPerBatch, perClass, optimizer, schedule, steps, validation, classTurns, binary ? 1 : members,
                !binary && projectionHead, composedClasses, List.of());
    }

    /** The same with P×K batches. */
    public Recipe withBatch(int p, int k) {
        return new Recipe(name, summary, network, input, normalize, augmentation, objective, p, k, optimizer,
                schedule, steps, validation, classTurns, members, projectionHead, composedClasses, memberObjectives);
    }

    public Recipe withOptimizer(OptimizerSpec v) {
        return new Recipe(name, summary, network, input, normalize, augmentation, objective, classesPerBatch, perClass,
                v, schedule, steps, validation, classTurns, members, projectionHead, composedClasses, memberObjectives);
    }

    public Recipe withSchedule(Schedule v) {
        return new Recipe(name, summary, network, input, normalize, augmentation, objective, classesPerBatch, perClass,
                optimizer, v, steps, validation, classTurns, members, projectionHead, composedClasses, memberObjectives);
    }

    public Recipe withSteps(int v) {
        return new Recipe(name, summary, network, input, normalize, augmentation, objective, classesPerBatch, perClass,
                optimizer, schedule, v, validation, classTurns, members, projectionHead, composedClasses, memberObjectives);
    }

    public Recipe withValidation(Validation v) {
        return new Recipe(name, summary, network, input, normalize, augmentation, objective, classesPerBatch, perClass,
                optimizer, schedule, steps, v, classTurns, members, projectionHead, composedClasses, memberObjectives);
    }

    /** The same training on every class also turned by 180° ({@code 2}) or by 90°, 180°, 270° ({@code 4}). */
    public Recipe withClassTurns(int v) {
        return new Recipe(name, summary, network, input, normalize, augmentation, objective, classesPerBatch, perClass,
                optimizer, schedule, steps, validation, v, members, projectionHead, composedClasses, memberObjectives);
    }

    /**
     * The same training an ensemble of {@code n} networks ({@code 1}: a single network), each
     * from its own seed on the full schedule; the model embeds with all of them side by side.
     */
    public Recipe withMembers(int n) {
        return new Recipe(name, summary, network, input, normalize, augmentation, objective, classesPerBatch, perClass,
                optimizer, schedule, steps, validation, classTurns, n, projectionHead, composedClasses,
                n == memberObjectives.size() ? memberObjectives : List.of());
    }

    /**
     * The same training an ensemble of one network per objective (member i on {@code objectives[i]},
     * each from its own seed on the full schedule); the first becomes the recipe's {@code objective}.
     */
    public Recipe withMemberObjectives(List<Objective> objectives) {
        if (objectives == null || objectives.isEmpty()) {
            throw new IllegalArgumentException("Recipe '" + name + "': withMemberObjectives needs at least one objective");
        }
        return new Recipe(name, summary, network, input, normalize && !(objectives.get(0) instanceof Objective.Binary),
                augmentation, objectives.get(0), classesPerBatch, perClass, optimizer, schedule, steps, validation,
                classTurns, objectives.size(), projectionHead, composedClasses, objectives.size() > 1 ? objectives : List.of());
    }

    /**
     * What member {@code i} of the ensemble trains: this recipe as one network with member i's
     * objective ({@code objective} for every member when {@link #memberObjectives} is empty).
     */
    public Recipe member(int i) {
        if (i < 0 || i >= members) {
            throw new IllegalArgumentException("Recipe '" + name + "': member " + i + " of " + members);
        }
        Objective o = memberObjectives.isEmpty() ? objective : memberObjectives.get(i);
        return new Recipe(name, summary, network, input, normalize, augmentation, o, classesPerBatch, perClass,
                optimizer, schedule, steps, validation, classTurns, 1, projectionHead, composedClasses, List.of());
    }

    /**
     * The loss in words, as the training log and reports name it: "triplet loss (batch-all mining)",
     * or with {@link #memberObjectives} "losses normalized-softmax, triplet (batch-all mining), one
     * per member".
     */
    public String lossText() {
        java.util.function.Function<Objective, String> mining = o -> o instanceof Objective.Triplet t
                ? " (" + t.miner().name() + " mining)" : "";
        if (memberObjectives.isEmpty()) {
            return objective.kind() + " loss" + mining.apply(objective);
        }
        return "losses " + String.join(", ", memberObjectives.stream().map(o -> o.kind() + mining.apply(o)).toList())
                + ", one per member";
    }

    /**
     * The same training, the model embedding with the layers before the network's last linear
     * layer ({@code true}) or with the whole network ({@code false}).
     */
    public Recipe withProjectionHead(boolean v) {
        return new Recipe(name, summary, network, input, normalize, augmentation, objective, classesPerBatch, perClass,
                optimizer, schedule, steps, validation, classTurns, members, v, composedClasses, memberObjectives);
    }

    /** The same adding {@code v} composed classes per training class ({@code 0}: none). */
    public Recipe withComposedClasses(double v) {
        return new Recipe(name, summary, network, input, normalize, augmentation, objective, classesPerBatch, perClass,
                optimizer, schedule, steps, validation, classTurns, members, projectionHead, v, memberObjectives);
    }

    // ------------------------------------------------------------------ JSON

    /** The JSON form (a recipe file, and the {@code recipe} of a model card). */
    public Map<String, Object> toJson() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", name);
        o.put("summary", summary);
        o.put("network", network.toJson());
        o.put("input", input.toJson());
        o.put("normalize", normalize);
        o.put("augmentation", Augmentation.toJson(augmentation));
        o.put("objective", objective.toJson());
        Map<String, Object> batch = new LinkedHashMap<>();
        batch.put("classes", classesPerBatch);
        batch.put("per_class", perClass);
        o.put("batch", batch);
        o.put("optimizer", optimizer.toJson());
        o.put("schedule", schedule.toJson());
        o.put("steps", steps);
        o.put("validation", validation.toJson());
        if (classTurns != 1) {
            o.put("class_turns", classTurns);
        }
        if (members != 1) {
            o.put("members", members);
        }
        if (projectionHead) {
            o.put("projection_head", true);
        }
        if (composedClasses != 0) {
            o.put("composed_classes", composedClasses);
        }
        if (!memberObjectives.isEmpty()) {
            o.put("member_objectives", memberObjectives.stream().map(Objective::toJson).toList());
        }
        return o;
    }

    /** Reads {@link #toJson()}'s form; every error names {@code o.where()} and the field. */
    public static Recipe fromJson(JsonObject o) {
        o.requireOnly("name", "summary", "network", "input", "normalize", "augmentation", "objective", "batch",
                "optimizer", "schedule", "steps", "validation", "class_turns", "members",
                "projection_head", "composed_classes", "member_objectives");
        JsonObject batch = o.object("batch");
        batch.requireOnly("classes", "per_class");
        try {
            return new Recipe(o.string("name"), o.string("summary", ""), NetworkSpec.fromJson(o.object("network")),
                    InputSpec.fromJson(o.object("input")), o.bool("normalize"),
                    Augmentation.fromJson(o.object("augmentation")), Objective.fromJson(o.object("objective")),
                    batch.integer("classes", 2, 100_000), batch.integer("per_class", 2, 100_000),
                    OptimizerSpec.fromJson(o.object("optimizer")), Schedule.fromJson(o.object("schedule")),
                    o.integer("steps", 1, Integer.MAX_VALUE), Validation.fromJson(o.object("validation")),
                    o.integer("class_turns", 1, 1, 8), o.integer("members", 1, 1, MAX_MEMBERS),
                    o.bool("projection_head", false), o.number("composed_classes", 0, 0, MAX_COMPOSED),
                    memberObjectives(o));
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(o.where())) {
                throw e;
            }
            throw new IllegalArgumentException(o.where() + ": " + e.getMessage(), e);
        }
    }

    /** The optional {@code member_objectives} array; each error names its index. */
    private static List<Objective> memberObjectives(JsonObject o) {
        if (!o.has("member_objectives")) {
            return List.of();
        }
        List<Object> items = o.array("member_objectives");
        List<Objective> out = new java.util.ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            out.add(Objective.fromJson(JsonObject.of(items.get(i), o.where() + ".member_objectives[" + i + "]")));
        }
        return out;
    }

    /** The recipe in a JSON file written by {@link #save} (or by hand). */
    public static Recipe load(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            return fromJson(JsonObject.parse(text, file.toString()));
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** The JSON form indented by two spaces, one field per line: what {@link #save} writes. */
    public String toPrettyJson() {
        return Json.writeIndented(toJson());
    }

    /** Writes the recipe as indented JSON, for reading and editing (atomically). */
    public void save(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, toPrettyJson() + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** {@code name}: {@code summary}. */
    @Override
    public String toString() {
        return "Recipe" + Json.write(toJson());
    }
}
