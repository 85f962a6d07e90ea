package dev.oneshot.app.cli;

import dev.oneshot.siamese.data.DataSource;
import dev.oneshot.siamese.model.SiameseModel;

import java.io.IOException;
import java.nio.file.Path;

/** Options several commands take, declared once. */
final class CommonOptions {
    private CommonOptions() {
    }

    static final Option<Path> MODEL = Option.of("model", "FILE",
            "a model written by oneshot train or demo (its card says how images are read)", Path::of).required();

    static final Option<Path> INIT = Option.of("init", "FILE", "start every network from this model's weights"
            + " (oneshot train's, on other data): tensors of the same name and shape are copied, the rest (e.g. the"
            + " last layer, for another input size) start fresh; the log lists them", Path::of);

    /** The warm start named by {@link #INIT}, or null. */
    static dev.oneshot.siamese.train.WarmStart warmStart(Options.Parsed a) throws IOException {
        return a.has(INIT) ? new dev.oneshot.siamese.train.WarmStart(SiameseModel.load(a.get(INIT)),
                a.get(INIT).toString()) : null;
    }

    static final Option<Boolean> JSON = Option.flag("json", "print one JSON object on stdout instead of text");

    static final Option<Long> SEED = Option.longInteger("seed", "S", "every random choice of the command").orElse(1L);

    /** {@code --data SPEC}, parsed into a {@link DataSource}. */
    static Option<DataSource> data(String help) {
        return Option.of("data", "SPEC", help + "; SPEC: " + DataSource.USAGE, CommonOptions::source);
    }

    static DataSource source(String spec) {
        return DataSource.parse(spec);
    }

    /** Loads the model named by {@link #MODEL}. */
    static SiameseModel model(Options.Parsed a) throws IOException {
        return SiameseModel.load(a.get(MODEL));
    }
}
