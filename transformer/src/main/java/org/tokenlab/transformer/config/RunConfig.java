package org.tokenlab.transformer.config;

import java.util.Locale;

/** A model and how to train it: what {@code train --config FILE} reads and a run folder's config.json holds. */
public record RunConfig(GptConfig model, TrainConfig train) {

    public RunConfig {
        if (model == null || train == null) {
            throw new IllegalArgumentException("RunConfig: both 'model' and 'train' are required");
        }
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
