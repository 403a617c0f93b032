package org.tokenlab.transformer.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigTest {

    @Test
    void presetsMatchTheBrief() {
        GptConfig small = RunConfig.preset("small").model();
        assertEquals(256, small.vocabSize());
        assertEquals(128, small.blockSize());
        assertEquals(128, small.nEmbd());
        assertEquals(4, small.nLayer());
        assertEquals(4, small.nHead());
        assertEquals(16, RunConfig.preset("small").train().batchSize());
        GptConfig medium = RunConfig.preset("medium").model();
        assertEquals(256, medium.blockSize());
        assertEquals(256, medium.nEmbd());
        assertEquals(6, medium.nLayer());
        assertEquals(8, medium.nHead());
        assertEquals(8, RunConfig.preset("medium").train().batchSize());
        assertEquals(GptConfig.Positions.LEARNED, medium.positions());
        assertEquals(GptConfig.Norm.LAYER, medium.norm());
        assertTrue(medium.tiedHead() && medium.bias());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunConfig.preset("huge"));
        assertTrue(e.getMessage().contains("huge"));
    }

    @Test
    void validationNamesTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GptConfig.standard(256, 32, 2, 3, 32));
        assertTrue(e.getMessage().contains("nHead"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GptConfig.standard(0, 32, 2, 2, 32));
        assertTrue(e.getMessage().contains("vocabSize"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> GptConfig.standard(256, 32, 2, 2, 32).withDropout(1f));
        assertTrue(e.getMessage().contains("dropout"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> GptConfig.standard(256, 32, 2, 2, 32).withTokenPrefix(40, 8));
        assertTrue(e.getMessage().contains("prefixLength"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.defaults(8, 100).withOptim(-1f, 0f, 0, TrainConfig.Schedule.CONSTANT, 0f, 0f));
        assertTrue(e.getMessage().contains("TrainConfig.lr"), e.getMessage());
    }

    @Test
    void jsonRoundTripAndPartialOverride(@TempDir Path dir) throws Exception {
        RunConfig tiny = RunConfig.preset("tiny");
        Path f = dir.resolve("config.json");
        ConfigJson.write(f, tiny);
        assertEquals(tiny, ConfigJson.readRun(f, RunConfig.preset("small")));
        Path partial = dir.resolve("p.json");
        Files.writeString(partial, "{\"model\": {\"nLayer\": 3, \"norm\": \"RMS\"}, \"train\": {\"steps\": 70}}");
        RunConfig r = ConfigJson.readRun(partial, tiny);
        assertEquals(3, r.model().nLayer());
        assertEquals(GptConfig.Norm.RMS, r.model().norm());
        assertEquals(70, r.train().steps());
        assertEquals(tiny.model().nEmbd(), r.model().nEmbd());
    }

    @Test
    void unknownKeysAndBadValuesNameKeyAndFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"model\": {\"nLayers\": 3}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigJson.readRun(f, RunConfig.preset("tiny")));
        assertTrue(e.getMessage().contains("model.nLayers") && e.getMessage().contains("bad.json"), e.getMessage());
        Files.writeString(f, "{\"model\": {\"nHead\": 5}}");
        e = assertThrows(IllegalArgumentException.class, () -> ConfigJson.readRun(f, RunConfig.preset("tiny")));
        assertTrue(e.getMessage().contains("nHead") && e.getMessage().contains("bad.json"), e.getMessage());
        Files.writeString(f, "{\"model\": ");
        e = assertThrows(IllegalArgumentException.class, () -> ConfigJson.readRun(f, RunConfig.preset("tiny")));
        assertTrue(e.getMessage().contains("bad.json"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConfigJson.readRun(dir.resolve("missing.json"),
                RunConfig.preset("tiny")));
    }

    @Test
    void scheduleShapes() {
        TrainConfig c = TrainConfig.defaults(8, 100).withOptim(1f, 0.1f, 10, TrainConfig.Schedule.COSINE, 0f, 0f);
        assertEquals(0.1f, c.lrSchedule().lr(0), 1e-6f);
        assertEquals(1f, c.lrSchedule().lr(9), 1e-6f);
        assertEquals(1f, c.lrSchedule().lr(10), 1e-6f);
        assertEquals(0.55f, c.lrSchedule().lr(55), 1e-6f);
        assertEquals(0.1f, c.lrSchedule().lr(100), 1e-6f);
        TrainConfig w = c.withOptim(1f, 0f, 0, TrainConfig.Schedule.WSD, 0f, 0f);
        assertEquals(1f, w.lrSchedule().lr(79), 0f);
        assertEquals(0.55f, w.lrSchedule().lr(89), 1e-6f);
        assertEquals(0.05f, w.lrSchedule().lr(99), 1e-6f);
        assertEquals(0f, w.lrSchedule().lr(100), 1e-6f);
    }
}
