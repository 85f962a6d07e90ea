package dev.oneshot.app.cli;

import dev.oneshot.core.json.Json;
import dev.oneshot.siamese.recipe.Recipe;
import dev.oneshot.siamese.recipe.Recipes;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code oneshot recipes}: the built-in recipes, one line each; one in full as JSON. */
final class RecipesCommand implements Command {
    @Override
    public String name() {
        return "recipes";
    }

    @Override
    public String summary() {
        return "list the built-in training recipes, or print one as JSON";
    }

    @Override
    public Options options() {
        return new Options("[NAME] [--json]", """
                Without NAME: one line per built-in recipe (train picks one by the kind of data; --recipe NAME
                another). With NAME: that recipe as JSON, the form --save-recipe writes and --recipe FILE reads.
                """, "NAME", 0, 1, List.of(CommonOptions.JSON));
    }

    @Override
    public int run(Options.Parsed a, PrintStream out, PrintStream err) throws Exception {
        if (!a.positionals().isEmpty()) {
            Recipe r;
            try {
                r = Recipes.byName(a.positionals().get(0));
            } catch (IllegalArgumentException e) {
                throw new Options.UsageException(e.getMessage());
            }
            out.println(a.get(CommonOptions.JSON) ? Json.write(r.toJson()) : r.toPrettyJson());
            return Main.OK;
        }
        if (a.get(CommonOptions.JSON)) {
            List<Object> all = new ArrayList<>();
            Recipes.all().forEach(r -> all.add(r.toJson()));
            out.println(Json.write(all));
            return Main.OK;
        }
        for (Recipe r : Recipes.all()) {
            out.printf(Locale.ROOT, "%-9s %s%n", r.name(), r.summary());
        }
        return Main.OK;
    }
}
