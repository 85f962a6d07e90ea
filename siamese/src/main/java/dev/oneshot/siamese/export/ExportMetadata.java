package dev.oneshot.siamese.export;

import dev.oneshot.core.json.Json;
import dev.oneshot.siamese.data.InputSpec;
import dev.oneshot.siamese.model.ModelCard;
import dev.oneshot.siamese.model.SiameseModel;
import dev.oneshot.siamese.model.Threshold;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The model card as ONNX {@code metadata_props} (string → string), so that a service built on the
 * exported file knows how to feed it and where its threshold lies without the safetensors file:
 * <pre>
 *   oneshot.graph             "embedding" or "verification-head"
 *   oneshot.input.height      H of the input [N, C, H, W]
 *   oneshot.input.width       W
 *   oneshot.input.channels    C (1: grey)
 *   oneshot.input.invert      "true": feed 1 − v for every decoded grey value v of an image on light
 *                             paper (GrayImages.lightPaper; the graph does not invert)
 *   oneshot.input.mirror_average  "true": the graph averages each image with its mirror image itself
 *   oneshot.input.shift_average   "true": the graph sums each image's nine one-pixel moves itself
 *   oneshot.input.fit_ink     "true": crop each decoded image to the window around its ink before
 *                             resizing (InkFit: ink above ½, the larger extent 20/28 of the frame,
 *                             centred; the graph does not crop)
 *   oneshot.input.stretch_levels  "true": first, divide each decoded image by its local paper level
 *                             and stretch its levels so that its paper (the median) reads as paper
 *                             and its darkest ink as full ink (InkLevels)
 *   oneshot.input.stroke_width  W &gt; 0: before the crop, thin the ink to its centre line and draw it
 *                             again with strokes W pixels of the network input wide (StrokeWidth);
 *                             "0.0": as drawn
 *   oneshot.normalized        "true": embeddings have unit length
 *   oneshot.embedding_dim     d
 *   oneshot.metric            "squared-l2" (same when d ≤ τ) or "binary-head-probability" (same when p ≥ τ)
 *   oneshot.threshold         τ as a decimal ("Infinity" when uncalibrated and unnormalised)
 *   oneshot.threshold.chosen_by   how τ was chosen
 *   oneshot.recipe            the recipe's name, or "none"
 *   oneshot.provenance        the provenance as JSON (data, steps, seconds, seed, threads, stopped_by, …)
 *   oneshot.weights_sha256    the model's fingerprint (SiameseModel.fingerprint: the SHA-256 of its
 *                             weights as a gallery stores it)
 *   oneshot.card              the whole card as JSON, as the safetensors file stores it
 * </pre>
 */
final class ExportMetadata {
    static final String PREFIX = "oneshot.";

    private ExportMetadata() {
    }

    /** The metadata of {@code model}'s card for a graph of kind {@code graph} whose embeddings are d wide. */
    static Map<String, String> of(SiameseModel model, String graph, int d) {
        ModelCard card = model.card();
        InputSpec in = card.input();
        Threshold tau = card.threshold();
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PREFIX + "graph", graph);
        m.put(PREFIX + "input.height", Integer.toString(in.height()));
        m.put(PREFIX + "input.width", Integer.toString(in.width()));
        m.put(PREFIX + "input.channels", Integer.toString(in.channels()));
        m.put(PREFIX + "input.invert", Boolean.toString(in.invert()));
        m.put(PREFIX + "input.mirror_average", Boolean.toString(in.mirrorAverage()));
        m.put(PREFIX + "input.shift_average", Boolean.toString(in.shiftAverage()));
        m.put(PREFIX + "input.fit_ink", Boolean.toString(in.fitInk()));
        m.put(PREFIX + "input.stretch_levels", Boolean.toString(in.stretchLevels()));
        m.put(PREFIX + "input.stroke_width", Double.toString(in.strokeWidth()));
        m.put(PREFIX + "normalized", Boolean.toString(card.normalized()));
        m.put(PREFIX + "embedding_dim", Integer.toString(d));
        m.put(PREFIX + "metric", card.metric().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        m.put(PREFIX + "threshold", Double.toString(tau.tau()));
        m.put(PREFIX + "threshold.chosen_by", tau.chosenBy());
        m.put(PREFIX + "recipe", card.recipe().map(r -> r.name()).orElse("none"));
        m.put(PREFIX + "provenance", Json.write(card.provenance().toJson()));
        m.put(PREFIX + "weights_sha256", model.fingerprint());
        m.put(PREFIX + "card", Json.write(card.toJson()));
        return m;
    }
}
