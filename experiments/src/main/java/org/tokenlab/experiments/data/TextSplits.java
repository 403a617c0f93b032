package org.tokenlab.experiments.data;

import java.util.Arrays;
import java.util.Optional;
import org.tokenlab.experiments.Profile;
import org.tokenlab.experiments.runner.RunContext;

/**
 * Training and validation text for an experiment: SYN (train and validation splits, disjoint documents)
 * for the smoke and quick profiles, NAT (State of the Union: training from the start, validation from
 * the end) for the full profile when fetched, else SYN with the reason in {@link #source()}. The sha256
 * of both parts goes into the run manifest.
 *
 * @param source     which corpus, in words, for the report's setup line
 * @param natural    whether it is NAT
 * @param train      training bytes
 * @param validation validation bytes
 */
public record TextSplits(String source, boolean natural, byte[] train, byte[] validation) {

    /** The text of {@code ctx}'s profile: {@code trainBytes} and {@code validationBytes} long. */
    public static TextSplits forProfile(RunContext ctx, int trainBytes, int validationBytes) {
        TextSplits t = choose(ctx.profile(), ctx.seed(), trainBytes, validationBytes, Corpora.sotu());
        ctx.recordData(ctx.experimentId() + "/train (" + t.source + ")", t.train);
        ctx.recordData(ctx.experimentId() + "/validation (" + t.source + ")", t.validation);
        return t;
    }

    static TextSplits choose(Profile profile, long seed, int trainBytes, int validationBytes, Optional<byte[]> nat) {
        if (profile == Profile.FULL && nat.isPresent() && nat.get().length >= trainBytes + validationBytes) {
            byte[] all = nat.get();
            return new TextSplits("NAT (State of the Union)", true, Arrays.copyOf(all, trainBytes),
                    Arrays.copyOfRange(all, all.length - validationBytes, all.length));
        }
        SynCorpus syn = new SynCorpus(seed);
        String source = profile == Profile.FULL ? "SYN (seed " + seed + "; " + Corpora.NAT_MISSING + ")" : "SYN (seed " + seed + ")";
        return new TextSplits(source, false, syn.split(SynCorpus.Split.TRAIN, trainBytes),
                syn.split(SynCorpus.Split.VALIDATION, validationBytes));
    }
}
