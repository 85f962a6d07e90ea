package dev.oneshot.siamese.gallery.contract;

import dev.oneshot.siamese.gallery.Gallery;
import dev.oneshot.siamese.gallery.GalleryOptions;

import java.nio.file.Path;

/**
 * The child process of {@link GalleryContract#everyAcknowledgedEnrolmentSurvivesAKill}: opens
 * (or creates) the gallery with the named contract's methods, then enrolls {@code id0, id1, ...}
 * one at a time, printing {@code E n} on stdout only after {@code persist} of {@code idn} has
 * returned. Runs until killed.
 *
 * <p>Usage: {@code ContractEnroller <GalleryContract subclass> <gallery folder>}.
 */
public final class ContractEnroller {
    static final int DIM = 32;
    static final int ROWS_PER_ID = 40;

    private ContractEnroller() {
    }

    /** Identity n's rows: a pure function of n, so the parent can check them. */
    static float[] rows(int n) {
        float[] rows = new float[ROWS_PER_ID * DIM];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = n + i * 1e-4f;
        }
        return rows;
    }

    public static void main(String[] args) throws Exception {
        GalleryContract contract = (GalleryContract) Class.forName(args[0]).getDeclaredConstructor().newInstance();
        Path dir = Path.of(args[1]);
        Gallery g = contract.exists(dir) ? contract.reopen(dir)
                : contract.create(dir, DIM, false, GalleryOptions.squaredL2(1.0));
        while (true) {
            int n = g.identities().size();
            g.enrollEmbeddings("id" + n, rows(n), ROWS_PER_ID);
            contract.persist(dir, g);
            System.out.println("E " + n);
            System.out.flush();
        }
    }
}
