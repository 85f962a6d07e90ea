package dev.oneshot.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link WinogradConv.PooledTiles} with the Vector API: a vector of consecutive tiles at a time,
 * the same formula as {@link WinogradConv#SCALAR} (which finishes the last tiles), in the same
 * order of operations, so both give the same values. Loaded by {@link VectorSupport#load}.
 */
final class VectorWinograd implements WinogradConv.PooledTiles {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();

    @Override
    public void pooled(float[] m, int plane, int at, int len, float a, float c, float[] out, int dst) {
        if (len < VL) {
            WinogradConv.SCALAR.pooled(m, plane, at, len, a, c, out, dst);
            return;
        }
        // whole vectors, the last one ending at len (it may redo some tiles: the same values again)
        for (int k = 0; k < len; k += VL) {
            tiles(m, plane, at + Math.min(k, len - VL), a, c, out, dst + Math.min(k, len - VL));
        }
    }

    private static void tiles(float[] m, int plane, int q, float a, float c, float[] out, int dst) {
        FloatVector m4 = FloatVector.fromArray(S, m, 4 * plane + q);
        FloatVector m5 = FloatVector.fromArray(S, m, 5 * plane + q);
        FloatVector m6 = FloatVector.fromArray(S, m, 6 * plane + q);
        FloatVector m7 = FloatVector.fromArray(S, m, 7 * plane + q);
        FloatVector m8 = FloatVector.fromArray(S, m, 8 * plane + q);
        FloatVector m9 = FloatVector.fromArray(S, m, 9 * plane + q);
        FloatVector m10 = FloatVector.fromArray(S, m, 10 * plane + q);
        FloatVector m11 = FloatVector.fromArray(S, m, 11 * plane + q);
        FloatVector s00 = FloatVector.fromArray(S, m, q).add(m4).add(m8);
        FloatVector s01 = FloatVector.fromArray(S, m, plane + q).add(m5).add(m9);
        FloatVector s02 = FloatVector.fromArray(S, m, 2 * plane + q).add(m6).add(m10);
        FloatVector s03 = FloatVector.fromArray(S, m, 3 * plane + q).add(m7).add(m11);
        FloatVector s10 = m4.sub(m8).sub(FloatVector.fromArray(S, m, 12 * plane + q));
        FloatVector s11 = m5.sub(m9).sub(FloatVector.fromArray(S, m, 13 * plane + q));
        FloatVector s12 = m6.sub(m10).sub(FloatVector.fromArray(S, m, 14 * plane + q));
        FloatVector s13 = m7.sub(m11).sub(FloatVector.fromArray(S, m, 15 * plane + q));
        FloatVector y00 = s00.add(s01).add(s02).mul(a).add(c);
        FloatVector y01 = s01.sub(s02).sub(s03).mul(a).add(c);
        FloatVector y10 = s10.add(s11).add(s12).mul(a).add(c);
        FloatVector y11 = s11.sub(s12).sub(s13).mul(a).add(c);
        y00.max(y01).max(y10.max(y11)).max(0f).intoArray(out, dst);
    }
}
