package dev.oneshot.siamese.model;

import dev.oneshot.core.autograd.Grad;
import dev.oneshot.core.json.Json;
import dev.oneshot.core.json.JsonObject;
import dev.oneshot.core.tensor.SeededRandom;
import dev.oneshot.core.tensor.Tensor;
import dev.oneshot.nn.Module;
import dev.oneshot.nn.Sequential;
import dev.oneshot.nn.layers.Linear;
import dev.oneshot.nn.layers.ReLU;
import dev.oneshot.nn.layers.Sigmoid;
import dev.oneshot.nn.layers.Tanh;
import dev.oneshot.nn.persist.Architecture;
import dev.oneshot.nn.persist.LayerSpec;
import dev.oneshot.nn.persist.ModelFile;
import dev.oneshot.siamese.data.FileTree;
import dev.oneshot.siamese.data.GrayImages;
import dev.oneshot.siamese.data.InputSpec;
import dev.oneshot.siamese.loss.BinaryVerificationHead;
import dev.oneshot.siamese.twin.TwinNetwork;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A trained Siamese model: the shared embedding network f, Koch's verification head when the
 * model was trained with the binary loss, and its {@link ModelCard} — everything needed to turn
 * image files into embeddings the way the model was trained.
 *
 * <p>As a {@link Module} it has the children {@code embedding} and (optionally) {@code head},
 * so its state dict names are {@code embedding.0.weight}, …, {@code head.fc.weight}: those of
 * the PyTorch module {@code m} with {@code m.embedding = nn.Sequential(...)} (and
 * {@code m.head}), so a saved model loads into PyTorch with {@code strict=True}.
 *
 * <pre>{@code
 * SiameseModel model = SiameseModel.load(Path.of("runs/demo/model.safetensors"));
 * Tensor e = model.embed(model.readImages(List.of("alice.png", "bob.png")));   // [2, d]
 * }</pre>
 *
 * <p><b>Files</b> ({@link #save}, atomic): a safetensors file with the state dict and the
 * metadata of {@link ModelFile} — {@code oneshot.architecture} is
 * {@code SiameseModel[<embedding>,<head>]} — plus {@code siamese.card}, the card as JSON.
 * {@link #load} also reads the model files of earlier versions (the embedding network alone,
 * facts as flat metadata keys) and builds their card from those keys.
 */
public final class SiameseModel extends Module {
    /** The metadata key holding the card's JSON. */
    public static final String CARD_KEY = "siamese.card";

    static {
        Architecture.register("BinaryVerificationHead",
                (s, rng) -> new BinaryVerificationHead(s.allowOnly(1).intAt(0), rng));
        Architecture.register("SiameseModel", SiameseModel::fromSpec);
    }

    private final Module embedding;
    private final BinaryVerificationHead head;
    private final ModelCard card;
    private final TwinNetwork twin;
    private volatile int dim = -1;

    private SiameseModel(Module embedding, BinaryVerificationHead head, ModelCard card) {
        if (embedding == null) {
            throw new IllegalArgumentException("SiameseModel: the embedding network is null");
        }
        this.embedding = registerModule("embedding", embedding);
        this.head = head == null ? null : registerModule("head", head);
        this.card = card;
        this.twin = card == null ? null : new TwinNetwork(embedding, card.normalized(), card.input().mirrorAverage(),
                card.input().shiftAverage());
    }

    /** A model of an embedding network and its card. */
    public static SiameseModel of(Module embedding, ModelCard card) {
        return new SiameseModel(embedding, null, requireCard(card));
    }

    /** A model with Koch's verification head (trained with the binary loss). */
    public static SiameseModel withHead(Module embedding, BinaryVerificationHead head, ModelCard card) {
        if (head == null) {
            throw new IllegalArgumentException("SiameseModel.withHead: the head is null");
        }
        return new SiameseModel(embedding, head, requireCard(card));
    }

    private static ModelCard requireCard(ModelCard card) {
        if (card == null) {
            throw new IllegalArgumentException("SiameseModel: the model card is null");
        }
        return card;
    }

    /** The same networks (the very same parameter tensors) with another card, e.g. a calibrated τ. */
    public SiameseModel withCard(ModelCard newCard) {
        return new SiameseModel(embedding, head, requireCard(newCard));
    }

    // ------------------------------------------------------------------ what it is

    public ModelCard card() {
        return card;
    }

    /** The shared embedding network f. */
    public Module embeddingNet() {
        return embedding;
    }

    /** Koch's verification head, if the model has one. */
    public Optional<BinaryVerificationHead> head() {
        return Optional.ofNullable(head);
    }

    /** The twin network over {@link #embeddingNet()} with the card's normalisation and mirror averaging. */
    public TwinNetwork twin() {
        return twin;
    }

    /**
     * The width d of an embedding, found with one forward pass of a blank image at the card's
     * input size (then kept); for a network that does not take images of that size (a test's
     * dense network over vectors), the output width of its last {@link Linear} layer.
     */
    public int embeddingDim() {
        int d = dim;
        if (d >= 0) {
            return d;
        }
        InputSpec in = card.input();
        boolean wasTraining = isTraining();
        eval();
        try (Grad.Scope off = Grad.off()) {
            d = twin.embed(Tensor.zeros(1, in.channels(), in.height(), in.width())).size(1);
        } catch (IllegalArgumentException notImages) {
            d = lastLinearWidth(embedding);
            if (d < 0) {
                throw notImages;
            }
        } finally {
            if (wasTraining) {
                train();
            }
        }
        dim = d;
        return d;
    }

    /** The output width of the last Linear of a Sequential tree (nothing but shape-free layers after it), or −1. */
    private static int lastLinearWidth(Module m) {
        if (m instanceof Linear linear) {
            return linear.weight().size(0);
        }
        if (m instanceof Sequential seq) {
            for (int i = seq.size() - 1; i >= 0; i--) {
                Module child = seq.get(i);
                if (child instanceof Linear || child instanceof Sequential) {
                    return lastLinearWidth(child);
                }
                if (!(child instanceof Sigmoid || child instanceof Tanh || child instanceof ReLU)) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /**
     * The SHA-256 of the weights ({@link ModelFingerprint} of {@link #stateDict()}): a gallery
     * stores it and refuses a model with other weights.
     */
    public String fingerprint() {
        return ModelFingerprint.of(stateDict());
    }

    // ------------------------------------------------------------------ embedding

    /** f(x) with the card's normalisation and mirror averaging, in the current mode, recording a graph: for training. */
    @Override
    public Tensor forward(Tensor images) {
        return twin.embed(images);
    }

    /**
     * Embeddings [n, d] of a batch of images [n, C, H, W] for inference: eval mode (the model is
     * left in it), no graph. Applies everything the card says: normalisation, mirror averaging.
     *
     * @throws IllegalArgumentException if a value is NaN or infinite, or the shape does not fit
     *     the network (both named)
     */
    public Tensor embed(Tensor images) {
        eval();
        try (Grad.Scope off = Grad.off()) {
            return twin.embed(images);
        }
    }

    /** One image file [1, C, H, W], read as the card says: grey, resized to the input size, inverted if so trained. */
    public Tensor readImage(Path file) throws IOException {
        return readImages(List.of(file.toString()));
    }

    /**
     * Image files [n, C, H, W], read as {@link #readImage}. A name may point inside a zip as if
     * the zip were a folder: {@code faces.zip/orl_faces_png/s31/1.png}.
     */
    public Tensor readImages(List<String> files) throws IOException {
        InputSpec in = card.input();
        int per = in.height() * in.width();
        float[] pixels = new float[files.size() * per];
        for (int i = 0; i < files.size(); i++) {
            String name = files.get(i);
            float[] p = GrayImages.decode(FileTree.readBytes(name), name, in.imageOptions()).pixels();
            System.arraycopy(p, 0, pixels, i * per, per);
        }
        return Tensor.wrap(pixels, files.size(), in.channels(), in.height(), in.width());
    }

    // ------------------------------------------------------------------ files

    /** Writes the model atomically (temp file, fsync, rename): state dict, architecture, card. */
    public void save(Path file) throws IOException {
        ModelFile.save(file, this, Map.of(CARD_KEY, Json.write(card.toJson())));
    }

    /**
     * Reads a model written by {@link #save}, or an earlier version's model file (an embedding
     * network with flat metadata keys; its card is built from them).
     *
     * @throws IOException naming the file when it is missing, not a safetensors file, or holds a bad card
     */
    public static SiameseModel load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            Path inside = file.resolve("model.safetensors"); // the folder `oneshot train --out` writes
            throw new FileNotFoundException(file + ": no such model file" + (Files.isRegularFile(inside)
                    ? " (it is a folder; the model in it is " + inside + ")" : ""));
        }
        ModelFile.Contents c;
        try {
            c = ModelFile.read(file, new SeededRandom(0));
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        SiameseModel model;
        try {
            if (c.module() instanceof SiameseModel m) {
                String json = c.provenance().get(CARD_KEY);
                if (json == null) {
                    throw new IllegalArgumentException(file + ": no '" + CARD_KEY + "' in the metadata");
                }
                ModelCard card = ModelCard.fromJson(JsonObject.parse(json, file + ": " + CARD_KEY));
                model = new SiameseModel(m.embedding, m.head, card);
            } else {
                model = new SiameseModel(c.module(), null, LegacyCard.from(c.provenance(), file));
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        model.eval();
        return model;
    }

    /** {@code SiameseModel[<embedding spec>]} or {@code SiameseModel[<embedding spec>,BinaryVerificationHead(d)]}. */
    @Override
    public String spec() {
        return "SiameseModel[" + embedding.spec() + (head == null ? "" : "," + head.spec()) + "]";
    }

    /** Rebuilds the networks of a spec; the card is attached by {@link #load}. */
    private static Module fromSpec(LayerSpec s, SeededRandom rng) {
        if (!s.positional().isEmpty() || !s.named().isEmpty()) {
            throw s.error("takes no arguments");
        }
        List<LayerSpec> children = s.children();
        if (children.isEmpty() || children.size() > 2) {
            throw s.error("takes [embedding] or [embedding,head], got " + children.size() + " children");
        }
        Module embedding = Architecture.build(children.get(0), rng);
        Module head = children.size() == 2 ? Architecture.build(children.get(1), rng) : null;
        if (head != null && !(head instanceof BinaryVerificationHead)) {
            throw s.error("its second child must be a BinaryVerificationHead, got " + children.get(1).kind());
        }
        return new SiameseModel(embedding, (BinaryVerificationHead) head, null);
    }

    @Override
    protected String extraRepr() {
        return "input=" + card.input().display() + (card.normalized() ? ", unit-norm" : "")
                + (card.input().mirrorAverage() ? ", mirror-averaged" : "")
                + (card.input().shiftAverage() ? ", shift-averaged" : "")
                + (card.input().stretchLevels() ? ", levels stretched" : "")
                + (card.input().strokeWidth() > 0 ? ", strokes redrawn " + card.input().strokeWidth() + " px wide" : "")
                + (card.input().fitInk() ? ", ink fitted" : "");
    }
}
