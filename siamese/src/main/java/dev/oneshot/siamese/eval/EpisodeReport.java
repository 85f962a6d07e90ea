package dev.oneshot.siamese.eval;

import dev.oneshot.core.json.Json;

/**
 * N-way K-shot episode accuracy of a model beside the raw-pixel baseline scored on the same
 * episodes ({@link OneShotEpisodes#report}).
 *
 * @param way      classes per episode, N
 * @param shot     support examples per class, K
 * @param episodes number of episodes
 * @param model    the learned embedding's score
 * @param baseline the baseline's score (raw pixels), or {@code null} if not scored
 */
public record EpisodeReport(int way, int shot, int episodes, OneShotEpisodes.Score model, OneShotEpisodes.Score baseline) {
    public EpisodeReport {
        if (model == null) {
            throw new IllegalArgumentException("EpisodeReport: the model's score is required");
        }
    }

    /**
     * Keys in this order: {@code accuracy, ci95, baseline_accuracy, baseline_ci95, episodes,
     * way, shot}; the two baseline values are {@code null} without a baseline.
     */
    public String toJson() {
        return Json.object()
                .put("accuracy", model.accuracy())
                .put("ci95", model.ci95())
                .put("baseline_accuracy", baseline == null ? Double.NaN : baseline.accuracy())
                .put("baseline_ci95", baseline == null ? Double.NaN : baseline.ci95())
                .put("episodes", episodes)
                .put("way", way)
                .put("shot", shot)
                .toString();
    }
}
