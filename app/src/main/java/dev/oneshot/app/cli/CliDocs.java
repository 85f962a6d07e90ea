package dev.oneshot.app.cli;

import dev.oneshot.siamese.data.DataSource;
import dev.oneshot.siamese.recipe.Recipe;
import dev.oneshot.siamese.recipe.Recipes;

/**
 * {@code docs/cli.md}, generated from the commands' option tables (the same tables that parse
 * the command lines and print {@code --help}). {@code CliDocsTest} fails when the file is stale;
 * regenerate it with {@code oneshot help --markdown > docs/cli.md}.
 */
final class CliDocs {
    private CliDocs() {
    }

    /** The whole page. */
    static String markdown() {
        StringBuilder sb = new StringBuilder("""
                # The `oneshot` command line

                <!-- Generated from the option tables in app/src/main/java/dev/oneshot/app/cli by
                     `./oneshot help --markdown > docs/cli.md`; CliDocsTest fails when this file is stale. -->

                Results go to stdout, progress to stderr; `--json` prints one JSON object. Exit code 0 on
                success, 1 on a runtime failure (one line, never a stack trace), 2 on a usage error. Every
                command takes `--help`. Options take `--name value` or `--name=value`; `--` ends the options.
                `oneshot --version` prints the version and the git commit it was built from (both are also
                stored in every model card's provenance).

                Data specs (`--data`, `--val`): a source names every class it loads; a part is named explicitly.

                | spec | what |
                |---|---|
                | `fashion-mnist[:DIR][:train\\|:test][:seen\\|:unseen\\|:classes=LIST]` | Fashion-MNIST IDX files (default DIR `/usr/share/datasets/fashion-mnist`); training and validation read the training file, `eval`/`calibrate` the test file unless `:train`/`:test` says; `seen` = classes 0–6, `unseen` = 7–9, `classes=0-6` or `7,8,9` |
                | `mnist-idx:DIR[...]` | any IDX files with the MNIST file names, same parts |
                | `omniglot:PATH[,PATH...]` | Omniglot zips or folders (`Alphabet/characterNN/*.png`); a run's validation takes whole alphabets |
                | `folder:PATH` | a folder or zip with one sub-folder of images per class |
                | `orl:PATH[:people=A-B]` | the ORL faces (zip or folder of `sX/Y.png\\|pgm`), people A–B (default 1–40); a run's validation takes the last people by number |

                Recipes (`--recipe NAME`, or a JSON file that `--save-recipe` or `oneshot recipes NAME` wrote):
                `train` picks one by the kind of data unless told.

                """);
        sb.append("| recipe | data | what |\n|---|---|---|\n");
        for (Recipe r : Recipes.all()) {
            sb.append("| `").append(r.name()).append("` | ").append(kinds(r)).append(" | ").append(r.summary())
                    .append(" |\n");
        }
        sb.append("\n## Commands\n\n");
        for (Command c : Main.COMMANDS) {
            sb.append("- [`").append(c.name()).append("`](#oneshot-").append(c.name()).append(") — ")
                    .append(c.summary()).append('\n');
        }
        sb.append('\n');
        for (Command c : Main.COMMANDS) {
            sb.append(c.options().markdown(c.name(), capitalise(c.summary())));
        }
        return sb.toString().stripTrailing() + "\n";
    }

    /** The data kinds whose default this recipe is. */
    private static String kinds(Recipe r) {
        StringBuilder sb = new StringBuilder();
        for (DataSource.Kind k : DataSource.Kind.values()) {
            if (Recipes.forData(k).name().equals(r.name())) {
                sb.append(sb.length() > 0 ? ", " : "").append(k.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return sb.length() == 0 ? "—" : sb.toString();
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
