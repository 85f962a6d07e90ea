package dev.oneshot.app.cli;

import dev.oneshot.core.json.Json;
import dev.oneshot.siamese.model.SiameseModel;
import dev.oneshot.core.io.Safetensors;
import dev.oneshot.core.io.SafetensorsFile;
import dev.oneshot.core.io.StoredTensor;
import dev.oneshot.core.tensor.Shape;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code oneshot info FILE}: the tensors and metadata of a safetensors file. */
final class InfoCommand implements Command {
    /** Metadata values longer than this are cut in the table (never in --json). */
    static final int MAX_VALUE = 100;

    @Override
    public String name() {
        return "info";
    }

    @Override
    public String summary() {
        return "describe a safetensors file (model, checkpoint, embeddings): tensors and metadata";
    }

    static final Option<Boolean> JSON = Option.flag("json",
            "one JSON object: {\"file\", \"tensors\": [{\"name\", \"dtype\", \"shape\"}], \"parameters\", \"metadata\"}");

    @Override
    public Options options() {
        return new Options("FILE [--json]", "Lists every tensor (name, dtype, shape) and every metadata entry of FILE; for a model, its card in full.",
                "FILE", 1, 1, List.of(JSON));
    }

    @Override
    public int run(Options.Parsed args, PrintStream out, PrintStream err) throws Exception {
        Path file = Path.of(args.positionals().get(0));
        if (!Files.isRegularFile(file)) {
            throw new java.io.FileNotFoundException(file + ": no such file");
        }
        SafetensorsFile f = Safetensors.read(file);
        long total = 0;
        List<Object> tensors = new ArrayList<>();
        for (StoredTensor t : f.tensors().values()) {
            total += t.numel();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", t.name());
            row.put("dtype", t.dtype().safetensorsName());
            row.put("shape", t.shape());
            tensors.add(row);
        }
        if (args.get(JSON)) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("file", file.toString());
            o.put("tensors", tensors);
            o.put("parameters", total);
            o.put("metadata", new LinkedHashMap<>(f.metadata()));
            out.println(Json.write(o));
            return Main.OK;
        }
        out.println(file + ": " + f.tensors().size() + " tensors, " + total + " values, " + Files.size(file) + " bytes");
        int width = f.tensors().keySet().stream().mapToInt(String::length).max().orElse(4);
        for (StoredTensor t : f.tensors().values()) {
            out.printf("  %-" + width + "s  %-4s  %s%n", t.name(), t.dtype().safetensorsName(), Shape.toString(t.shape()));
        }
        out.println("metadata:" + (f.metadata().isEmpty() ? " (none)" : ""));
        int keyWidth = f.metadata().keySet().stream().mapToInt(String::length).max().orElse(0);
        f.metadata().forEach((k, v) -> out.printf("  %-" + keyWidth + "s = %s%n", k, truncate(v)));
        String card = f.metadata().get(SiameseModel.CARD_KEY);
        if (card != null) {
            Object parsed;
            try {
                parsed = Json.parse(card);
            } catch (IllegalArgumentException e) {
                out.println("model card: not valid JSON (" + e.getMessage() + ")");
                return Main.OK;
            }
            out.println("model card (" + SiameseModel.CARD_KEY + "):");
            Json.writeIndented(parsed).lines().forEach(line -> out.println("  " + line));
        }
        return Main.OK;
    }

    /** One line, at most {@link #MAX_VALUE} characters, saying how much was cut. */
    static String truncate(String v) {
        String s = v.replace("\n", "\\n");
        if (s.length() <= MAX_VALUE) {
            return s;
        }
        return s.substring(0, MAX_VALUE) + "… (" + s.length() + " chars)";
    }
}
