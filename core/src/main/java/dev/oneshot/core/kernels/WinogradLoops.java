package dev.oneshot.core.kernels;

/**
 * The element-wise loops of {@link WinogradConv}'s transforms, each over a run of tiles k in
 * [from, to) of lines indexed by tile: {@link #SCALAR} in plain Java, and {@code VectorWinogradLoops}
 * (Vector API, loaded by {@link VectorSupport#load}) with the same additions in the same order, so
 * both give the same bits. The formulas are explained where {@link WinogradConv} calls them.
 */
interface WinogradLoops {
    /**
     * Floats a line must hold beyond what {@link #inputRow} and {@link #gradientRow} are asked to
     * write: the vector versions store whole vectors and may spill that far (at most one vector's
     * length). The callers write their lines in increasing order, so a spill is overwritten by the
     * next row's values or lies beyond what is read.
     */
    int SLACK = 64;

    /**
     * d·B along one input row (x[row … row + wd), zero outside it) for the pw tiles of a tile row:
     * r0[at + k], r1[at + k], r2[at + k], r3[at + k] for k &lt; pw from columns e0 … e3 = 2k − 1 … 2k + 2:
     * e0 − e2, e1 + e2, e2 − e1, e1 − e3. May write up to {@link #SLACK} floats beyond at + pw.
     */
    void inputRow(float[] x, int row, int wd, int pw, float[] r0, float[] r1, float[] r2, float[] r3, int at);

    /**
     * One tile row of ∂Y = [p q; r s] gathered into lines: for k &lt; tw, ps[t + k] = gy[top + 2k],
     * qs[t + k] = gy[top + 2k + 1], rs and ss the same from the row below (top + wd), each zero where its
     * column (or, without {@code below}, its row) lies outside the wd-wide output. May write up to
     * {@link #SLACK} floats beyond t + tw.
     */
    void gradientRow(float[] gy, int top, int wd, int tw, boolean below, float[] ps, float[] qs, float[] rs,
                     float[] ss, int t);

    /**
     * Bᵀ· down the columns of the input transform: with a2 = a0[k + shift] and a3 = a1[k + shift],
     * v[o + k] = a0 − a2, v[o + 4p + k] = a1 + a2, v[o + 8p + k] = a2 − a1, v[o + 12p + k] = a1 − a3
     * (p = plane).
     */
    void inputColumns(float[] a0, float[] a1, int shift, float[] v, int o, int plane, int from, int to);

    /**
     * A ∂Y Aᵀ from ∂Y = [p q; r s] into m[o + ξ·plane + k]: the rows (p, q), (p + r, q + s),
     * (p − r, q − s), (−r, −s), each (a, b) becoming (a, a + b, a − b, −b).
     */
    void gradientPlanes(float[] ps, float[] qs, float[] rs, float[] ss, float[] m, int o, int plane, int from,
                        int to);

    /**
     * Y = Aᵀ M A + bias with M_ξ = m[o + ξ·plane + k], in quarters: the tile's top-left output into
     * y[k], top-right y[stride + k], bottom-left y[2·stride + k], bottom-right y[3·stride + k].
     */
    void outputTiles(float[] m, int o, int plane, float bias, float[] y, int stride, int from, int to);

    /**
     * Inference's pooling of the tiles from {@link #outputTiles} (with bias 0): out[dst + k] =
     * max(0, max of the four y·a + c) — bias and batch norm as one affine map, ReLU, the 2×2 max.
     */
    void poolTiles(float[] y, int stride, float a, float c, float[] out, int dst, int from, int to);

    /**
     * B· down column v[o + ξ·plane + k] (ξ = 0, 4, 8, 12 for its four rows v0 … v3): even[k] = v0,
     * odd[k] = v1 − v2 + v3, two[k] = v1 + v2 − v0, three[k] = −v3.
     */
    void scatterColumns(float[] v, int o, int plane, float[] even, float[] odd, float[] two, float[] three,
                        int from, int to);

    /** B· along the rows, in place: (a0, a1, a2, a3) ← (a0, a1 − a2 + a3, a1 + a2 − a0, −a3). */
    void rowsInPlace(float[] l0, float[] l1, float[] l2, float[] l3, int from, int to);

    /** dst[k + shift] += src[k] (dst and src may be one array when [from, to) and its shift do not overlap). */
    void addShifted(float[] dst, int shift, float[] src, int from, int to);

    /** Plain Java, one tile at a time. */
    WinogradLoops SCALAR = new WinogradLoops() {
        @Override
        public void inputRow(float[] x, int row, int wd, int pw, float[] r0, float[] r1, float[] r2, float[] r3,
                             int at) {
            // the tiles whose four columns lie inside the row (1 ≤ k ≤ (wd − 3)/2) take a loop without tests
            int inner = Math.max(1, Math.min(pw, (wd - 3) / 2 + 1));
            for (int k = 0; k < pw; k = k == 0 ? inner : k + 1) {
                int col = 2 * k - 1;
                float e0 = k == 0 ? 0f : x[row + col];
                float e1 = x[row + col + 1];
                float e2 = col + 2 < wd ? x[row + col + 2] : 0f;
                float e3 = col + 3 < wd ? x[row + col + 3] : 0f;
                r0[at + k] = e0 - e2;
                r1[at + k] = e1 + e2;
                r2[at + k] = e2 - e1;
                r3[at + k] = e1 - e3;
            }
            for (int k = 1; k < inner; k++) {
                int col = row + 2 * k - 1;
                float e0 = x[col];
                float e1 = x[col + 1];
                float e2 = x[col + 2];
                float e3 = x[col + 3];
                r0[at + k] = e0 - e2;
                r1[at + k] = e1 + e2;
                r2[at + k] = e2 - e1;
                r3[at + k] = e1 - e3;
            }
        }

        @Override
        public void gradientRow(float[] gy, int top, int wd, int tw, boolean below, float[] ps, float[] qs,
                                float[] rs, float[] ss, int t) {
            int whole = wd / 2; // tiles with both columns inside
            for (int k = 0; k < whole; k++) {
                ps[t + k] = gy[top + 2 * k];
                qs[t + k] = gy[top + 2 * k + 1];
                rs[t + k] = below ? gy[top + wd + 2 * k] : 0f;
                ss[t + k] = below ? gy[top + wd + 2 * k + 1] : 0f;
            }
            if (whole < tw) { // an odd width: the last tile's right column is outside
                ps[t + whole] = gy[top + 2 * whole];
                qs[t + whole] = 0f;
                rs[t + whole] = below ? gy[top + wd + 2 * whole] : 0f;
                ss[t + whole] = 0f;
            }
        }

        @Override
        public void inputColumns(float[] a0, float[] a1, int shift, float[] v, int o, int plane, int from, int to) {
            for (int k = from; k < to; k++) {
                float a2 = a0[k + shift];
                v[o + k] = a0[k] - a2;
                v[o + 4 * plane + k] = a1[k] + a2;
                v[o + 8 * plane + k] = a2 - a1[k];
                v[o + 12 * plane + k] = a1[k] - a1[k + shift];
            }
        }

        @Override
        public void gradientPlanes(float[] ps, float[] qs, float[] rs, float[] ss, float[] m, int o, int plane,
                                   int from, int to) {
            for (int k = from; k < to; k++) {
                float p = ps[k];
                float q = qs[k];
                float r = rs[k];
                float s = ss[k];
                int at = o + k;
                m[at] = p;
                m[plane + at] = p + q;
                m[2 * plane + at] = p - q;
                m[3 * plane + at] = -q;
                float a1 = p + r;
                float b1 = q + s;
                m[4 * plane + at] = a1;
                m[5 * plane + at] = a1 + b1;
                m[6 * plane + at] = a1 - b1;
                m[7 * plane + at] = -b1;
                float a2 = p - r;
                float b2 = q - s;
                m[8 * plane + at] = a2;
                m[9 * plane + at] = a2 + b2;
                m[10 * plane + at] = a2 - b2;
                m[11 * plane + at] = -b2;
                m[12 * plane + at] = -r;
                m[13 * plane + at] = -r - s;
                m[14 * plane + at] = -r + s;
                m[15 * plane + at] = s;
            }
        }

        @Override
        public void outputTiles(float[] m, int o, int plane, float bias, float[] y, int stride, int from, int to) {
            for (int k = from; k < to; k++) {
                int q = o + k;
                float s00 = m[q] + m[4 * plane + q] + m[8 * plane + q];
                float s01 = m[plane + q] + m[5 * plane + q] + m[9 * plane + q];
                float s02 = m[2 * plane + q] + m[6 * plane + q] + m[10 * plane + q];
                float s03 = m[3 * plane + q] + m[7 * plane + q] + m[11 * plane + q];
                float s10 = m[4 * plane + q] - m[8 * plane + q] - m[12 * plane + q];
                float s11 = m[5 * plane + q] - m[9 * plane + q] - m[13 * plane + q];
                float s12 = m[6 * plane + q] - m[10 * plane + q] - m[14 * plane + q];
                float s13 = m[7 * plane + q] - m[11 * plane + q] - m[15 * plane + q];
                y[k] = (s00 + s01 + s02) + bias;
                y[stride + k] = (s01 - s02 - s03) + bias;
                y[2 * stride + k] = (s10 + s11 + s12) + bias;
                y[3 * stride + k] = (s11 - s12 - s13) + bias;
            }
        }

        @Override
        public void poolTiles(float[] y, int stride, float a, float c, float[] out, int dst, int from, int to) {
            for (int k = from; k < to; k++) {
                float p00 = y[k] * a + c;
                float p01 = y[stride + k] * a + c;
                float p10 = y[2 * stride + k] * a + c;
                float p11 = y[3 * stride + k] * a + c;
                out[dst + k] = Math.max(0f, Math.max(Math.max(p00, p01), Math.max(p10, p11)));
            }
        }

        @Override
        public void scatterColumns(float[] v, int o, int plane, float[] even, float[] odd, float[] two,
                                   float[] three, int from, int to) {
            for (int k = from; k < to; k++) {
                float v0 = v[o + k];
                float v1 = v[o + 4 * plane + k];
                float v2 = v[o + 8 * plane + k];
                float v3 = v[o + 12 * plane + k];
                even[k] = v0;
                odd[k] = v1 - v2 + v3;
                two[k] = v1 + v2 - v0;
                three[k] = -v3;
            }
        }

        @Override
        public void rowsInPlace(float[] l0, float[] l1, float[] l2, float[] l3, int from, int to) {
            for (int k = from; k < to; k++) {
                float a0 = l0[k];
                float a1 = l1[k];
                float a2 = l2[k];
                float a3 = l3[k];
                l1[k] = a1 - a2 + a3;
                l2[k] = a1 + a2 - a0;
                l3[k] = -a3;
            }
        }

        @Override
        public void addShifted(float[] dst, int shift, float[] src, int from, int to) {
            for (int k = from; k < to; k++) {
                dst[k + shift] += src[k];
            }
        }
    };
}
