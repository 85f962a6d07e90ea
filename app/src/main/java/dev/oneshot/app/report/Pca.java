package dev.oneshot.app.report;

/**
 * Two-dimensional PCA of feature rows: the rows are centred, their d×d covariance is formed,
 * and its two leading eigenvectors are found by power iteration (the second after deflating
 * the first). Deterministic: the iteration starts from a fixed vector.
 */
public final class Pca {
    private Pca() {
    }

    /** The projection: {@code x[i], y[i]} for every row, and the variance share of each axis. */
    public record Projection(double[] x, double[] y, double varianceX, double varianceY) {
    }

    /** Projects {@code rows} rows of width {@code dim} (row-major) onto their two principal axes. */
    public static Projection project(float[] values, int rows, int dim) {
        if (rows < 2 || dim < 2) {
            throw new IllegalArgumentException("Pca: need at least 2 rows of width ≥ 2, got " + rows + "×" + dim);
        }
        double[] mean = new double[dim];
        for (int i = 0; i < rows; i++) {
            for (int t = 0; t < dim; t++) {
                mean[t] += values[i * dim + t];
            }
        }
        for (int t = 0; t < dim; t++) {
            mean[t] /= rows;
        }
        double[][] cov = new double[dim][dim];
        double[] c = new double[dim];
        for (int i = 0; i < rows; i++) {
            for (int t = 0; t < dim; t++) {
                c[t] = values[i * dim + t] - mean[t];
            }
            for (int a = 0; a < dim; a++) {
                for (int b = a; b < dim; b++) {
                    cov[a][b] += c[a] * c[b];
                }
            }
        }
        double total = 0;
        for (int a = 0; a < dim; a++) {
            for (int b = a; b < dim; b++) {
                cov[a][b] /= rows - 1;
                cov[b][a] = cov[a][b];
            }
            total += cov[a][a];
        }
        double[] v1 = leading(cov);
        double l1 = rayleigh(cov, v1);
        for (int a = 0; a < dim; a++) {
            for (int b = 0; b < dim; b++) {
                cov[a][b] -= l1 * v1[a] * v1[b];
            }
        }
        double[] v2 = leading(cov);
        double l2 = rayleigh(cov, v2);
        double[] x = new double[rows];
        double[] y = new double[rows];
        for (int i = 0; i < rows; i++) {
            for (int t = 0; t < dim; t++) {
                double d = values[i * dim + t] - mean[t];
                x[i] += d * v1[t];
                y[i] += d * v2[t];
            }
        }
        return new Projection(x, y, total > 0 ? l1 / total : 0, total > 0 ? l2 / total : 0);
    }

    /** The unit eigenvector of the largest eigenvalue of a symmetric positive semi-definite matrix. */
    static double[] leading(double[][] m) {
        int n = m.length;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 1.0 + 0.01 * i; // fixed, not orthogonal to any axis in practice
        }
        normalise(v);
        double[] w = new double[n];
        for (int it = 0; it < 500; it++) {
            for (int a = 0; a < n; a++) {
                double s = 0;
                for (int b = 0; b < n; b++) {
                    s += m[a][b] * v[b];
                }
                w[a] = s;
            }
            if (normalise(w) == 0) {
                return v;
            }
            double change = 0;
            for (int a = 0; a < n; a++) {
                change += Math.abs(w[a] - v[a]);
                v[a] = w[a];
            }
            if (change < 1e-10) {
                break;
            }
        }
        return v;
    }

    private static double rayleigh(double[][] m, double[] v) {
        double s = 0;
        for (int a = 0; a < v.length; a++) {
            for (int b = 0; b < v.length; b++) {
                s += v[a] * m[a][b] * v[b];
            }
        }
        return s;
    }

    private static double normalise(double[] v) {
        double n = 0;
        for (double x : v) {
            n += x * x;
        }
        n = Math.sqrt(n);
        if (n > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] /= n;
            }
        }
        return n;
    }
}
