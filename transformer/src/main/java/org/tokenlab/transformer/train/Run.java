package org.tokenlab.transformer.train;

import org.tokenlab.tensor.io.AtomicFiles;
import org.tokenlab.tensor.rng.RandomStream;
import org.tokenlab.theory.tokenize.BpeJson;
import org.tokenlab.theory.tokenize.BpeTokenizer;
import org.tokenlab.theory.tokenize.Tokenizer;
import org.tokenlab.transformer.config.ConfigJson;
import org.tokenlab.transformer.config.RunConfig;
import org.tokenlab.transformer.config.TokenizerConfig;
import org.tokenlab.transformer.model.Gpt;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A training run in a folder: {@code config.json}, {@code manifest.json}, {@code metrics.jsonl},
 * {@code checkpoints/}, and {@code tokenizer.json} (its own copy of a BPE vocabulary). The data file is
 * tokenised as the configuration says (bytes, V ≥ 256, or BPE, V ≥ its vocabulary); the last tenth of the
 * tokens (at least one window) is held out for evaluation when the file is long enough. {@link #resume} continues a run from its newest
 * checkpoint and ends with the same weights as an uninterrupted run.
 */
public final class Run {
    /** Sequence ids of evaluation windows start here, apart from the training ids. */
    public static final long EVAL_ID_BASE = 1L << 40;

    private Run() {
    }

    /** Starts a new run in {@code out}; a relative BPE vocabulary path is resolved against the working folder. */
    public static TrainState start(RunConfig cfg, Path data, Path out, PrintStream log) {
        return start(cfg, Path.of(""), data, out, log);
    }

    /**
     * Starts a new run in {@code out} (which must not hold a run already); returns the final state. A relative
     * BPE vocabulary path is resolved against {@code configDir} (the folder of the configuration file).
     */
    public static TrainState start(RunConfig cfg, Path configDir, Path data, Path out, PrintStream log) {
        if (Files.exists(out.resolve("config.json"))) {
            throw new IllegalArgumentException(out + " already holds a run (config.json exists); use 'resume " + out
                    + "' or choose another --out");
        }
        Tokenizer tokenizer = TokenData.tokenizer(cfg.tokenizer(), configDir);
        Setup s = setup(cfg, tokenizer, data);
        if (tokenizer instanceof BpeTokenizer bpe) { // the run keeps its own copy: resume and score need no outside file
            AtomicFiles.writeString(out.resolve(TokenData.RUN_VOCAB), BpeJson.toJson(bpe));
            cfg = cfg.withTokenizer(TokenizerConfig.bpe(TokenData.RUN_VOCAB));
        }
        ConfigJson.write(out.resolve("config.json"), cfg);
        RunManifest manifest = RunManifest.start(cfg.train().seed(), data);
        manifest.write(out);
        return train(cfg, s, out, manifest, null, log);
    }

    /**
     * The matmul precision ("fp32", "tf32") the run in {@code out} recorded in its manifest, or null when there
     * is no readable manifest (resume then reports the missing run itself).
     */
    public static String recordedMatmul(Path out) {
        if (!Files.isRegularFile(out.resolve("manifest.json"))) {
            return null;
        }
        return RunManifest.read(out).matmul();
    }

    /**
     * Resumes the run in {@code out} from its newest checkpoint, or from step 0 when it has none yet (the
     * data file must be unchanged).
     */
    public static TrainState resume(Path out, PrintStream log) {
        Path configFile = out.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            throw new IllegalArgumentException(out + " is not a run folder (no config.json)");
        }
        RunConfig cfg = ConfigJson.readRun(configFile, RunConfig.preset("tiny"));
        RunManifest manifest = RunManifest.read(out);
        Path data = Path.of(manifest.dataPath());
        Setup s = setup(cfg, TokenData.tokenizer(cfg.tokenizer(), out), data);
        String sha = RunManifest.sha256(data);
        if (!sha.equals(manifest.dataSha256())) {
            throw new IllegalArgumentException("data file " + data + " changed since the run started (sha256 " + sha
                    + ", manifest says " + manifest.dataSha256() + ")");
        }
        // killed before its first checkpoint: starting over from step 0 is the uninterrupted run
        java.util.List<Path> checkpoints = Checkpoint.list(out.resolve("checkpoints"));
        Path checkpoint = checkpoints.isEmpty() ? null : checkpoints.get(checkpoints.size() - 1);
        return train(cfg, s, out, manifest, checkpoint, log);
    }

    private record Setup(Gpt model, int[] train, Batch[] eval) {
    }

    private static Setup setup(RunConfig cfg, Tokenizer tokenizer, Path data) {
        int V = cfg.model().vocabSize();
        if (V < tokenizer.vocabSize()) {
            throw new IllegalArgumentException("model.vocabSize is " + V + ", but the " + cfg.tokenizer().kind()
                    + " tokenizer (" + tokenizer.name() + ") has " + tokenizer.vocabSize() + " ids");
        }
        int[] tokens = TokenData.read(data, tokenizer);
        int T = cfg.model().maxTokens();
        if (tokens.length < T + 1) {
            throw new IllegalArgumentException("data file " + data + " has " + tokens.length + " tokens; the block of T="
                    + T + " needs at least " + (T + 1));
        }
        int held = tokens.length / 10;
        int[] train = tokens;
        Batch[] eval = new Batch[0];
        if (held >= T + 1 && tokens.length - held >= T + 1) {
            train = Arrays.copyOf(tokens, tokens.length - held);
            int[] evalTokens = Arrays.copyOfRange(tokens, tokens.length - held, tokens.length);
            eval = TokenWindows.fixed(evalTokens, cfg.train().batchSize(), T, cfg.train().evalBatches(),
                    RandomStream.root(cfg.train().seed()).child("eval"), EVAL_ID_BASE);
        }
        return new Setup(new Gpt(cfg.model(), cfg.train().seed()), train, eval);
    }

    private static TrainState train(RunConfig cfg, Setup s, Path out, RunManifest manifest, Path checkpoint,
                                    PrintStream log) {
        TokenWindows windows = new TokenWindows(s.train(), cfg.train().batchSize(), cfg.model().maxTokens(),
                RandomStream.root(cfg.train().seed()).child("data"), 0);
        Trainer trainer = new Trainer(s.model(), cfg.train(), windows, s.eval(), out, log);
        if (checkpoint != null) {
            trainer.restore(checkpoint);
            if (log != null) {
                log.println("resumed from " + checkpoint + " at step " + trainer.state().step());
            }
        }
        try {
            TrainState done = trainer.run();
            Path weights = Checkpoint.latest(out.resolve("checkpoints")).resolve(Checkpoint.MODEL_FILE);
            manifest.finish("finished", done, weights).write(out);
            return done;
        } catch (TrainingDiverged e) {
            manifest.finish("diverged", trainer.state(), null).write(out);
            throw e;
        }
    }
}
