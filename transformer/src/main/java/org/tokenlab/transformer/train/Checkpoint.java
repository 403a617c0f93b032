package org.tokenlab.transformer.train;

import org.tokenlab.tensor.Engine;
import org.tokenlab.tensor.Tensor;
import org.tokenlab.tensor.io.SafeTensors;
import org.tokenlab.tensor.io.TensorData;
import org.tokenlab.tensor.optim.Optimizer;
import org.tokenlab.tensor.optim.OptimizerState;
import org.tokenlab.transformer.config.ConfigJson;
import org.tokenlab.transformer.config.GptConfig;
import org.tokenlab.transformer.config.TrainConfig;
import org.tokenlab.transformer.model.Gpt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Checkpoints: a folder {@code checkpoints/step-NNNNNNN/} holding
 * <ul>
 *   <li>{@code model.safetensors}: the weights by nanoGPT name (F32), with the configuration in
 *       {@code __metadata__} (nanoGPT's n_layer, n_head, n_embd, block_size, vocab_size, bias, tied, and
 *       the full {@code tokenlab.config} JSON and {@code tokenlab.seed});</li>
 *   <li>{@code state.safetensors}: the optimiser buffers (m, v) and, in metadata, the optimiser step,
 *       the training step, tokens, data-loader position, wall time and the training configuration.</li>
 * </ul>
 * The folder is written under a temporary name and renamed, so a checkpoint is either whole or absent.
 */
public final class Checkpoint {
    public static final String MODEL_FILE = "model.safetensors";
    public static final String STATE_FILE = "state.safetensors";
    private static final String PREFIX = "step-";

    private Checkpoint() {
    }

    /** Writes a checkpoint of step {@code state.step()} under {@code checkpointsDir}; returns its folder. */
    public static Path save(Path checkpointsDir, Gpt model, long seed, Optimizer optimizer, TrainConfig train,
                            TrainState state) {
        Path dir = checkpointsDir.resolve(String.format("%s%07d", PREFIX, state.step()));
        Path tmp = checkpointsDir.resolve(".tmp-" + dir.getFileName());
        try {
            Files.createDirectories(checkpointsDir);
            deleteTree(tmp);
            Files.createDirectories(tmp);
            saveModel(tmp.resolve(MODEL_FILE), model, seed);
            OptimizerState os = optimizer.exportState();
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("optimizer_step", Integer.toString(os.step()));
            meta.put("step", Integer.toString(state.step()));
            meta.put("tokens", Long.toString(state.tokens()));
            meta.put("data_state", joinLongs(state.dataState()));
            meta.put("elapsed_seconds", Double.toString(state.elapsedSeconds()));
            meta.put("tokenlab.train", ConfigJson.toJson(train));
            SafeTensors.write(tmp.resolve(STATE_FILE), os.toTensorData("optim."), meta);
            deleteTree(dir);
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes the weights and configuration of {@code model} to one safetensors file (atomically). */
    public static void saveModel(Path file, Gpt model, long seed) throws IOException {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : model.params().all().entrySet()) {
            tensors.put(e.getKey(), TensorData.f32(e.getValue().toArray(), e.getValue().shape()));
        }
        GptConfig c = model.config();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("n_layer", Integer.toString(c.nLayer()));
        meta.put("n_head", Integer.toString(c.nHead()));
        meta.put("n_embd", Integer.toString(c.nEmbd()));
        meta.put("block_size", Integer.toString(c.blockSize()));
        meta.put("vocab_size", Integer.toString(c.vocabSize()));
        meta.put("bias", Boolean.toString(c.bias()));
        meta.put("tied", Boolean.toString(c.tiedHead()));
        meta.put("tokenlab.config", ConfigJson.toJson(c).replaceAll("\\s+", ""));
        meta.put("tokenlab.seed", Long.toString(seed));
        SafeTensors.write(file, tensors, meta);
    }

    /** A model read from a weights file written by {@link #saveModel}. */
    public static Gpt loadModel(Path file) {
        SafeTensors.Contents contents = read(file);
        String json = contents.metadata().get("tokenlab.config");
        String seed = contents.metadata().get("tokenlab.seed");
        if (json == null || seed == null) {
            throw new IllegalArgumentException(file + ": not a TokenLab checkpoint (no tokenlab.config / tokenlab.seed metadata)");
        }
        Gpt model = new Gpt(ConfigJson.modelFromJson(json, file.toString()), Long.parseLong(seed));
        loadWeights(model, contents, file);
        return model;
    }

    /** Copies the weights of {@code file} into {@code model}; every name and shape must match. */
    public static void loadWeights(Gpt model, Path file) {
        loadWeights(model, read(file), file);
    }

    private static void loadWeights(Gpt model, SafeTensors.Contents contents, Path file) {
        Map<String, Tensor> params = model.params().all();
        List<String> missing = new ArrayList<>();
        for (String name : params.keySet()) {
            if (!contents.tensors().containsKey(name)) {
                missing.add(name);
            }
        }
        List<String> extra = new ArrayList<>();
        for (String name : contents.tensors().keySet()) {
            if (!params.containsKey(name)) {
                extra.add(name);
            }
        }
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new IllegalArgumentException(file + ": checkpoint does not match the model configuration; missing "
                    + missing + ", unexpected " + extra);
        }
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            TensorData d = contents.tensors().get(e.getKey());
            Tensor p = e.getValue();
            if (!Arrays.equals(d.shape(), p.shape())) {
                throw new IllegalArgumentException(file + ": tensor " + e.getKey() + " has shape "
                        + Arrays.toString(d.shape()) + ", the model expects " + Arrays.toString(p.shape()));
            }
        }
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor p = e.getValue();
            float[] values = contents.tensors().get(e.getKey()).values();
            Engine.backend().copy(Engine.backend().upload(values), 0, p.storage(), p.offset(), values.length);
        }
    }

    /** Restores weights and optimiser state from checkpoint folder {@code dir}; returns the training state. */
    public static TrainState restore(Path dir, Gpt model, Optimizer optimizer) {
        Path modelFile = dir.resolve(MODEL_FILE);
        SafeTensors.Contents weights = read(modelFile);
        String json = weights.metadata().get("tokenlab.config");
        if (json == null) {
            throw new IllegalArgumentException(modelFile + ": no tokenlab.config metadata");
        }
        GptConfig stored = ConfigJson.modelFromJson(json, modelFile.toString());
        if (!stored.equals(model.config())) {
            throw new IllegalArgumentException(modelFile + ": checkpoint is from another configuration: "
                    + stored + " vs the run's " + model.config());
        }
        loadWeights(model, weights, modelFile);
        Path stateFile = dir.resolve(STATE_FILE);
        SafeTensors.Contents st = read(stateFile);
        Map<String, String> meta = st.metadata();
        try {
            optimizer.loadState(OptimizerState.fromTensorData(Integer.parseInt(meta.get("optimizer_step")),
                    st.tensors(), "optim."));
            return new TrainState(Integer.parseInt(meta.get("step")), Long.parseLong(meta.get("tokens")),
                    parseLongs(meta.get("data_state")), Double.parseDouble(meta.get("elapsed_seconds")));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(stateFile + ": bad training state: " + e.getMessage(), e);
        }
    }

    /** Checkpoint folders under {@code checkpointsDir}, oldest first (complete ones only). */
    public static List<Path> list(Path checkpointsDir) {
        if (!Files.isDirectory(checkpointsDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(checkpointsDir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(PREFIX))
                    .filter(p -> Files.isRegularFile(p.resolve(MODEL_FILE)) && Files.isRegularFile(p.resolve(STATE_FILE)))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + checkpointsDir, e);
        }
    }

    /** The newest checkpoint folder; an error when there is none. */
    public static Path latest(Path checkpointsDir) {
        List<Path> all = list(checkpointsDir);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("no checkpoint in " + checkpointsDir);
        }
        return all.get(all.size() - 1);
    }

    /** Deletes all but the newest {@code keep} checkpoints. */
    public static void prune(Path checkpointsDir, int keep) {
        List<Path> all = list(checkpointsDir);
        for (int i = 0; i < all.size() - keep; i++) {
            deleteTree(all.get(i));
        }
    }

    private static SafeTensors.Contents read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("checkpoint file not found: " + file);
        }
        try {
            return SafeTensors.read(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    private static String joinLongs(long[] v) {
        StringBuilder sb = new StringBuilder();
        for (long x : v) {
            sb.append(sb.isEmpty() ? "" : ",").append(x);
        }
        return sb.toString();
    }

    private static long[] parseLongs(String s) {
        return s.isEmpty() ? new long[0] : Arrays.stream(s.split(",")).mapToLong(Long::parseLong).toArray();
    }

    private static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + p, e);
        }
    }
}
