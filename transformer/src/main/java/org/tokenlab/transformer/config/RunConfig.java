package org.tokenlab.transformer.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/**
 * A model, how to train it and how its data is tokenised: what {@code train --config FILE} reads and a run
 * folder's config.json holds. The tokenizer may be left out (bytes).
 */
public record RunConfig(GptConfig model, TrainConfig train, TokenizerConfig tokenizer) {

    @JsonCreator // the canonical constructor, not the two-argument one below
    public RunConfig {
        if (model == null || train == null) {
            throw new IllegalArgumentException("RunConfig: both 'model' and 'train' are required");
        }
        if (tokenizer == null) {
            tokenizer = TokenizerConfig.BYTES;
        }
    }

    /** Byte-level data. */
    public RunConfig(GptConfig model, TrainConfig train) {
        this(model, train, TokenizerConfig.BYTES);
    }

    /** The same run with other training settings. */
    public RunConfig withTrain(TrainConfig t) {
        return new RunConfig(model, t, tokenizer);
    }

    /** The same run with another tokenizer. */
    public RunConfig withTokenizer(TokenizerConfig t) {
        return new RunConfig(model, train, t);
    }

    /** Preset names accepted by {@link #preset(String)}. */
    public static final String PRESETS = "tiny, small, medium";

    /**
     * A named preset with the standard (nanoGPT) architecture and a byte vocabulary (V = 256):
     * <ul>
     *   <li>{@code tiny}: T32 C32 L2 NH2, batch 8, 200 steps (trains in seconds);</li>
     *   <li>{@code small}: T128 C128 L4 NH4, batch 16;</li>
     *   <li>{@code medium}: T256 C256 L6 NH8, batch 8.</li>
     * </ul>
     */
    public static RunConfig preset(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "tiny" -> new RunConfig(GptConfig.standard(256, 32, 2, 2, 32),
                    TrainConfig.defaults(8, 200).withOptim(3e-3f, 3e-4f, 20, TrainConfig.Schedule.COSINE, 0.1f, 1.0f));
            case "small" -> new RunConfig(GptConfig.standard(256, 128, 4, 4, 128), TrainConfig.defaults(16, 2000));
            case "medium" -> new RunConfig(GptConfig.standard(256, 256, 6, 8, 256),
                    TrainConfig.defaults(8, 2000).withOptim(6e-4f, 6e-5f, 200, TrainConfig.Schedule.COSINE, 0.1f, 1.0f));
            default -> throw new IllegalArgumentException("unknown preset '" + name + "'; known presets: " + PRESETS);
        };
    }
}
