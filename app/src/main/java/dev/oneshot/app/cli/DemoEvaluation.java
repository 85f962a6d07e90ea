package dev.oneshot.app.cli;

import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.data.Subset;
import dev.oneshot.siamese.eval.Calibration;
import dev.oneshot.siamese.eval.Embedder;
import dev.oneshot.siamese.eval.FeaturePairs;
import dev.oneshot.siamese.eval.OneShotEpisodes;
import dev.oneshot.siamese.eval.Roc;
import dev.oneshot.siamese.eval.VerificationReport;
import dev.oneshot.siamese.gallery.Gallery;
import dev.oneshot.siamese.gallery.GalleryOptions;
import dev.oneshot.siamese.gallery.Match;
import dev.oneshot.siamese.model.SiameseModel;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything the demo measures after training, on the test file unless said otherwise:
 * <ul>
 *   <li>1-shot 3-way episodes on the never-seen classes 7–9 and 10-way episodes on all classes,
 *       the raw-pixel nearest neighbour scored on the very same episodes;</li>
 *   <li>τ chosen at the EER of all pairs of up to {@link #PAIR_IMAGES} validation images per
 *       unseen class (classes 7–9 of the training file), then verification AUC/EER and FAR/FRR
 *       at τ on all pairs of up to {@link #PAIR_IMAGES} test images per unseen class;</li>
 *   <li>a gallery with the first test image of each of the ten classes enrolled, scored on
 *       every other test image, and a few example identifications.</li>
 * </ul>
 */
record DemoEvaluation(OneShotEpisodes.Score unseen, OneShotEpisodes.Score unseenPixels, OneShotEpisodes.Score all,
                      OneShotEpisodes.Score allPixels, double tau, Calibration.Result atTau, VerificationReport verification,
                      Roc roc, Roc pixelRoc, FeaturePairs.Scores testPairs, Embedder.Features testFeatures,
                      Gallery gallery, double galleryAccuracy, double galleryKnown, List<Example> examples) {
    static final int[] SEEN = dev.oneshot.siamese.data.DataSource.Idx.SEEN;
    static final int[] UNSEEN = dev.oneshot.siamese.data.DataSource.Idx.UNSEEN;
    static final int PAIR_IMAGES = 300;
    static final int QUERIES = 5;

    /** One identification of a test image by the gallery: the true class and the top 3 answers. */
    record Example(int index, String truth, List<Match> top) {
    }

    static DemoEvaluation run(SiameseModel model, DemoData data, int episodes, long seed) {
        LabeledImages test = data.test();
        Embedder.Features feats = Embedder.embed(model, test);
        Embedder.Features pixels = Embedder.pixels(test);
        Subset unseenTest = Subset.ofClasses(test, UNSEEN);
        OneShotEpisodes eps3 = OneShotEpisodes.draw(unseenTest, UNSEEN.length, 1, QUERIES, episodes, seed + 1);
        OneShotEpisodes eps10 = OneShotEpisodes.draw(test, test.classCount(), 1, QUERIES, episodes, seed + 2);

        Subset val = Subset.firstPerClass(Subset.ofClasses(data.train(), UNSEEN), PAIR_IMAGES);
        FeaturePairs.Scores valPairs = FeaturePairs.all(Embedder.embed(model, val), val);
        double tau = Calibration.choose(valPairs.genuine(), valPairs.impostor(), new Calibration.Eer());
        Subset pairSet = Subset.firstPerClass(unseenTest, PAIR_IMAGES);
        int[] inTest = new int[pairSet.size()];
        for (int i = 0; i < inTest.length; i++) {
            inTest[i] = unseenTest.parentIndex(pairSet.parentIndex(i));
        }
        FeaturePairs.Scores pairs = FeaturePairs.all(feats.rows(inTest), pairSet);
        FeaturePairs.Scores pixelPairs = FeaturePairs.all(pixels.rows(inTest), pairSet);
        Roc roc = Roc.of(pairs.genuine(), pairs.impostor());

        Gallery gallery = Gallery.of(model, GalleryOptions.squaredL2(tau));
        int[][] byClass = test.indicesByClass();
        for (int c = 0; c < byClass.length; c++) {
            gallery.enroll(test.className(c), test.gather(byClass[c][0]));
        }
        List<Match> answers = gallery.identifyEmbeddings(feats.values(), feats.rows());
        int right = 0;
        int known = 0;
        int scored = 0;
        for (int i = 0; i < answers.size(); i++) {
            if (byClass[test.label(i)][0] == i) {
                continue; // an enrolled image
            }
            scored++;
            right += answers.get(i).nearest().equals(test.className(test.label(i))) ? 1 : 0;
            known += answers.get(i).known() ? 1 : 0;
        }
        List<Example> examples = new ArrayList<>();
        for (int c : new int[] {7, 8, 9, 0, 2, 5}) {
            int i = byClass[c][1];
            examples.add(new Example(i, test.className(c), gallery.identify(test.gather(i), 3)));
        }
        return new DemoEvaluation(eps3.score(feats.rows(unseenTest.parentIndices())),
                eps3.score(pixels.rows(unseenTest.parentIndices())),
                eps10.score(feats), eps10.score(pixels), tau, Calibration.evaluate(tau, pairs.genuine(),
                pairs.impostor()), VerificationReport.of(roc), roc, Roc.of(pixelPairs.genuine(), pixelPairs.impostor()),
                pairs, feats, gallery, (double) right / scored, (double) known / scored, examples);
    }
}
