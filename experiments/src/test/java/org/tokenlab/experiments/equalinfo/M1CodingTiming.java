package org.tokenlab.experiments.equalinfo;

import java.nio.file.Path;
import java.util.List;
import org.tokenlab.experiments.Experiment;
import org.tokenlab.experiments.ExperimentRegistry;
import org.tokenlab.experiments.Outcome;
import org.tokenlab.experiments.Profile;
import org.tokenlab.experiments.data.TextSplits;
import org.tokenlab.experiments.runner.RunConfig;
import org.tokenlab.experiments.runner.RunContext;
import org.tokenlab.experiments.runner.Runner;

/**
 * Times the full profile's M1 part on NAT without the M2 runs (not a test; run by hand):
 * {@code java ... M1CodingTiming <run folder>}. Trains M1 (the 2-minute time box), then codes the validation
 * chunks for E1/E2 (with the decoders) and the training chunks of AC and EqualInfoAC[16, 32, 64], logging
 * each phase's wall time.
 */
public final class M1CodingTiming implements Experiment {
    public static void main(String[] args) {
        Runner runner = new Runner(ExperimentRegistry.of(new M1CodingTiming()), System.out);
        Path folder = Path.of(args[0]);
        if (java.nio.file.Files.exists(folder.resolve("config.json"))) {
            runner.resume(folder); // a finished M1 phase is reused
        } else {
            runner.start(new RunConfig("ei-m1-timing", List.of("ei-m1-timing"), Profile.FULL, 1, 1, "cpu", null), folder);
        }
    }

    @Override public String id() { return "ei-m1-timing"; }
    @Override public String title() { return "M1 timing"; }
    @Override public String paper() { return "-"; }
    @Override public String claim() { return "-"; }
    @Override public String analogue() { return "-"; }
    @Override public long estimatedSeconds(Profile profile) { return 600; }

    @Override
    public Outcome run(RunContext ctx) throws Exception {
        TextSplits text = TextSplits.forProfile(ctx, 2_000_000, 204_800);
        M1Coder m1 = EqualInfoExperiment.m1(ctx, text);
        List<byte[]> va = Compression.chunks(text.validation(), EqualInfoExperiment.CHUNK);
        List<byte[]> tr = Compression.chunks(text.train(), EqualInfoExperiment.CHUNK);
        Compression.Codec c = ctx.phase("codec", Compression.Codec.class, () -> Compression.codec(m1, va, 16));
        ctx.log("E1: AC exact " + c.acExact() + "/" + c.chunks() + ", EI16 exact " + c.equalInfoExact()
                + ", AC bits/byte " + c.acBitsPerByte() + ", ideal " + c.crossEntropyBitsPerByte());
        ctx.phase("ac-train", Compression.Method.class, () -> Compression.ac("AC", m1, tr));
        for (int w : EqualInfoExperiment.WINDOWS) {
            Compression.Method m = ctx.phase("ei" + w + "-train", Compression.Method.class, () -> Compression.equalInfo(m1, tr, w));
            ctx.log(m.name() + ": " + m.stats().bytesPerToken() + " bytes/token");
        }
        return Outcome.builder().setup("timing").build();
    }
}
