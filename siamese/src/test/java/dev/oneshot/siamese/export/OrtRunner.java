package dev.oneshot.siamese.export;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.oneshot.core.tensor.Tensor;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An exported file loaded into the real ONNX Runtime (test scope only): one session, run on
 * {@link Tensor}s, closed after use. Creating the session is where the runtime checks the model;
 * a model it rejects throws {@link OrtException} here and fails the test that loads it.
 */
final class OrtRunner implements AutoCloseable {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private final OrtSession.SessionOptions options;
    private final OrtSession session;

    OrtRunner(byte[] onnx) throws OrtException {
        options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1); // the build machine has 2 cores and others build beside us
        options.setInterOpNumThreads(1);
        OrtSession s;
        try {
            s = ENV.createSession(onnx, options);
        } catch (OrtException e) {
            options.close();
            throw e;
        }
        session = s;
    }

    /** Runs the graph on the named inputs; returns its first output as a flat row-major array. */
    float[] run(Map<String, Tensor> inputs) throws OrtException {
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                Tensor t = e.getValue();
                long[] shape = new long[t.rank()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = t.size(i);
                }
                feed.put(e.getKey(), OnnxTensor.createTensor(ENV, FloatBuffer.wrap(t.data(), 0, t.numel()), shape));
            }
            try (OrtSession.Result r = session.run(feed)) {
                OnnxTensor out = (OnnxTensor) r.get(0);
                FloatBuffer b = out.getFloatBuffer();
                float[] values = new float[b.remaining()];
                b.get(values);
                return values;
            }
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    /** The declared shape of input or output {@code name} (−1 for a dynamic axis). */
    long[] shape(String name) throws OrtException {
        NodeInfo info = session.getInputInfo().containsKey(name) ? session.getInputInfo().get(name)
                : session.getOutputInfo().get(name);
        return ((TensorInfo) info.getInfo()).getShape();
    }

    /** The model's metadata_props as the runtime reads them. */
    Map<String, String> metadata() throws OrtException {
        return session.getMetadata().getCustomMetadata();
    }

    /** The producer name the runtime reads. */
    String producer() throws OrtException {
        return session.getMetadata().getProducerName();
    }

    @Override
    public void close() throws OrtException {
        try {
            session.close();
        } finally {
            options.close();
        }
    }
}
