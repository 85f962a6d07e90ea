package dev.oneshot.siamese.gallery;

/** How an identity with several enrolled images is compared with a query. */
public enum Policy {
    /** The identity's score is that of its closest enrolled image (every image is searched). */
    NEAREST_IMAGE,
    /**
     * The identity is represented by one prototype, the mean of its embeddings (re-normalised to
     * unit length when the model normalises its embeddings); only prototypes are searched.
     */
    CLASS_MEAN_PROTOTYPE
}
