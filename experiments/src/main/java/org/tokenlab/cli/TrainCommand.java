package org.tokenlab.cli;

import org.tokenlab.transformer.config.ConfigJson;
import org.tokenlab.transformer.config.RunConfig;
import org.tokenlab.transformer.train.Run;
import org.tokenlab.transformer.train.TrainState;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code tokenlab train}: trains a GPT on a data file (bytes or BPE tokens) into a run folder. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a GPT on a data file into a run folder (config.json, manifest.json, metrics.jsonl, "
                + "checkpoints/). The config's \"tokenizer\" section chooses bytes (default, V >= 256) or a BPE "
                + "vocabulary file made by `tokenlab bpe` ({\"kind\": \"bpe\", \"vocab\": \"vocab.json\"}, relative to "
                + "the config file).")
final class TrainCommand implements Callable<Integer> {

    static final class Source {
        @Option(names = "--config", description = "JSON run configuration {\"model\": {...}, \"train\": {...}}; "
                + "missing keys come from --preset (default small).")
        Path config;

        @Option(names = "--preset", description = "Preset: " + RunConfig.PRESETS + ".")
        String preset;
    }

    @ArgGroup(exclusive = false, multiplicity = "1")
    Source source;

    @Option(names = "--data", required = true, description = "Training data: UTF-8 text or any binary file, tokenised as the configuration says.")
    Path data;

    @Option(names = "--out", required = true, description = "Run folder to create.")
    Path out;

    @Option(names = "--seed", description = "Run seed (overrides the configuration).")
    Long seed;

    @Option(names = "--steps", description = "Optimiser steps (overrides the configuration).")
    Integer steps;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() {
        runtime.apply();
        RunConfig base = RunConfig.preset(source.preset == null ? "small" : source.preset);
        RunConfig cfg = source.config == null ? base : ConfigJson.readRun(source.config, base);
        if (steps != null) {
            cfg = cfg.withTrain(cfg.train().withSteps(steps));
        }
        if (seed != null) {
            cfg = cfg.withTrain(cfg.train().withSeed(seed));
        }
        Path configDir = source.config == null ? Path.of("") : source.config.toAbsolutePath().getParent();
        TrainState s = Run.start(cfg, configDir, data, out, System.out);
        System.out.printf("done: %d steps, %d tokens, %.1f s -> %s%n", s.step(), s.tokens(), s.elapsedSeconds(), out);
        return 0;
    }
}
