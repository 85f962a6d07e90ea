package dev.oneshot.app.cli;

import dev.oneshot.core.json.Json;
import dev.oneshot.siamese.data.DataSource;
import dev.oneshot.siamese.recipe.Recipe;
import dev.oneshot.siamese.recipe.Recipes;
import dev.oneshot.siamese.train.TrainerCheckpoints;
import dev.oneshot.siamese.train.TrainingResult;
import dev.oneshot.siamese.train.TrainingRun;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** {@code oneshot train}: a recipe on every class of the data; writes DIR/model.safetensors with its card. */
final class TrainCommand implements Command {
    /** Where --checkpoint-every and --resume keep the trainer's state, inside --out. */
    static final String CHECKPOINT_FILE = "checkpoint.safetensors";
    static final Option<DataSource> DATA = CommonOptions.data("training data: every class of it trains, but for validation classes the log names").required();
    static final Option<DataSource> VAL = Option.of("val", "SPEC", "validation classes (then none of --data is set apart)", CommonOptions::source).defaultsTo("the recipe's: a class-disjoint part of --data, or none");
    static final Option<Path> OUT = Option.of("out", "DIR", "where model.safetensors is written (created if missing)", Path::of).required();
    static final Option<String> RECIPE = Option.text("recipe", "NAME|FILE", "a built-in recipe (oneshot recipes) or a recipe JSON file").defaultsTo("by the data: fashion, omniglot, faces or generic");
    static final Option<Integer> STEPS = Option.integer("steps", "N", 1, 100_000_000, "exactly N optimiser steps").defaultsTo("the recipe's, or as many as --max-minutes allows");
    static final Option<Double> MINUTES = Option.number("max-minutes", "M", 0.05, "a budget for the whole command; without --steps the recipe's learning-rate schedule is laid over it and training runs for it");
    static final Option<Long> SEED = Option.longInteger("seed", "S", "initialisation, validation classes, batches, augmentation").orElse(42L);
    static final Option<Path> SAVE_RECIPE = Option.of("save-recipe", "FILE", "also write the recipe used as JSON, for editing and --recipe FILE", Path::of);
    static final Option<Integer> CHECKPOINT_EVERY = Option.integer("checkpoint-every", "N", 1, 100_000_000, "write DIR/checkpoint.safetensors (weights, optimiser, random state) atomically every N steps").defaultsTo("none; 50 with --resume");
    static final Option<Boolean> RESUME = Option.flag("resume", "continue from DIR/checkpoint.safetensors if it exists (same options: a step-count run then ends on bitwise the weights of an uninterrupted one)");

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "train a model with a recipe on every class of the data; write DIR/model.safetensors";
    }

    @Override
    public Options options() {
        return new Options("--data SPEC --out DIR [--val SPEC] [--recipe NAME|FILE] [--steps N] [--max-minutes M] "
                + "[--seed S] [--init FILE] [--save-recipe FILE] [--checkpoint-every N] [--resume] [--json]", """
                Trains a recipe on every class of --data. Validation classes come from --val or, if the recipe
                validates, from a class-disjoint part of --data that the log names; nothing else is set aside.
                The model file carries its card: input, normalisation, τ, the recipe and the provenance.
                """, List.of(DATA, OUT, VAL, RECIPE, STEPS, MINUTES, SEED, CommonOptions.INIT, SAVE_RECIPE, CHECKPOINT_EVERY, RESUME,
                CommonOptions.JSON));
    }

    @Override
    public int run(Options.Parsed a, PrintStream out, PrintStream err) throws Exception {
        DataSource data = a.get(DATA);
        Recipe recipe = a.has(RECIPE) ? Recipes.resolve(a.get(RECIPE)) : Recipes.forData(data.kind());
        Path dir = a.get(OUT);
        TrainingRun run = TrainingRun.of(recipe, data).seed(a.get(SEED)).log(err::println)
                .startingFrom(CommonOptions.warmStart(a));
        if (a.has(SAVE_RECIPE)) {
            recipe.save(a.get(SAVE_RECIPE));
            err.println("wrote recipe " + recipe.name() + " to " + a.get(SAVE_RECIPE));
        }
        if (a.has(VAL)) {
            run.validation(a.get(VAL));
        }
        if (a.has(STEPS)) {
            run.steps(a.get(STEPS));
        }
        double budget = 0;
        if (a.has(MINUTES)) {
            Duration left = Duration.ofMillis(Math.round(a.get(MINUTES) * 60_000)).minusNanos(Main.elapsedNanos());
            run.budget(left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left);
            budget = left.toMillis() / 1000.0;
        }
        if (a.has(CHECKPOINT_EVERY) || a.get(RESUME)) {
            TrainerCheckpoints cp = TrainerCheckpoints.every(dir.resolve(CHECKPOINT_FILE),
                    a.has(CHECKPOINT_EVERY) ? a.get(CHECKPOINT_EVERY) : 50);
            boolean found = java.nio.file.Files.exists(cp.file());
            err.println(a.get(RESUME) && found ? "resuming from " + cp.file() : (a.get(RESUME) ? "no checkpoint at "
                    + cp.file() + " yet: starting afresh; " : "") + "checkpoint every " + cp.everySteps() + " steps: "
                    + cp.file());
            java.nio.file.Files.createDirectories(dir);
            run.checkpoints(a.get(RESUME) ? cp.resuming() : cp);
        }
        Progress progress = new Progress(err, System.console() != null, budget, recipe.members());
        TrainingRun.Trained t = run.listener(progress).run();
        progress.endBar();
        Path file = java.nio.file.Files.createDirectories(dir).resolve("model.safetensors");
        t.model().save(file);
        TrainingResult r = t.result();
        if (a.get(CommonOptions.JSON)) {
            out.println(Json.object().put("model", file.toString()).put("recipe", t.model().card().recipe()
                    .orElseThrow().name()).put("steps", r.steps()).put("skipped_steps", r.skippedSteps())
                    .put("stop_reason", r.reason().name().toLowerCase(Locale.ROOT)).put("stopped_by", r.stoppedBy()).put("best_validation_accuracy",
                    r.bestValidation()).put("validation", t.model().card().provenance().validation())
                    .put("seconds", r.seconds()));
        } else {
            out.printf(Locale.ROOT, "wrote %s: %d steps in %.0f s, %s; best validation accuracy %s%n", file, r.steps(),
                    r.seconds(), r.stoppedBy(), Double.isNaN(r.bestValidation()) ? "n/a (no validation)"
                            : String.format(Locale.ROOT, "%.3f", r.bestValidation()));
        }
        return r.reason() == TrainingResult.StopReason.NON_FINITE ? Main.FAILURE : Main.OK;
    }
}
