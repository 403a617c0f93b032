package org.tokenlab.experiments.hyperfitting;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.tokenlab.experiments.data.Corpora;
import org.tokenlab.experiments.data.SynCorpus;
import org.tokenlab.theory.tokenize.Alphabet;
import org.tokenlab.theory.tokenize.BpeTokenizer;
import org.tokenlab.theory.tokenize.BpeTrainer;
import org.tokenlab.theory.tokenize.Pretokenizer;

/**
 * The three disjoint splits of papers.md §1.3: pre-training text P, the hyperfitting set H and the
 * validation set V, tokenised with a BPE of {@link #VOCAB} ids trained on P only.
 *
 * <p>Documents are split by index (SYN: {@link SynCorpus.Split}; NAT: State of the Union address i goes
 * to P when i mod 10 &lt; 8, to V when it is 8 and to H when it is 9), so no document is shared. H and V
 * are lists of sequences of exactly {@code seqLen} tokens cut from consecutive, non-overlapping stretches
 * of their documents (the paper keeps texts of exactly 256 tokens; we keep 128-token pieces).
 *
 * @param source      the corpus in words
 * @param natural     whether it is NAT
 * @param tokenizer   BPE trained on P
 * @param pretrain    P as token ids (one long stream, documents concatenated)
 * @param hyperfit    H candidates: every {@code seqLen}-token piece of the hyperfit documents, in order
 * @param validation  V: every {@code seqLen}-token piece of the validation documents, in order
 * @param bytesPerToken bytes of P per token of P
 */
public record HyperfitData(String source, boolean natural, BpeTokenizer tokenizer, int[] pretrain,
                           List<int[]> hyperfit, List<int[]> validation, double bytesPerToken) {

    /** BPE-512 (papers.md §1.3). */
    public static final int VOCAB = 512;

    /** How much text to read for each split. */
    public record Sizes(int pretrainBytes, int bpeBytes, int hyperfitSeqs, int validationSeqs, int seqLen) {
    }

    /**
     * Builds the splits: NAT when {@code natural} is requested and {@code nat} is present, otherwise SYN
     * from {@code seed}. Fails with a clear message when the text is too short for the requested sizes.
     */
    public static HyperfitData build(boolean natural, Optional<byte[]> nat, long seed, Sizes s) {
        List<byte[]> trainDocs = new ArrayList<>();
        List<byte[]> hyperDocs = new ArrayList<>();
        List<byte[]> valDocs = new ArrayList<>();
        String source;
        boolean isNat = natural && nat.isPresent();
        if (isNat) {
            source = "NAT (State of the Union addresses; address i: P if i mod 10 < 8, V if 8, H if 9)";
            String[] lines = new String(nat.get(), StandardCharsets.UTF_8).split("\n");
            int i = 0;
            for (String line : lines) {
                if (line.isBlank()) {
                    continue;
                }
                SynCorpus.Split sp = splitOf(i++);
                byte[] doc = (line.strip() + "\n").getBytes(StandardCharsets.UTF_8);
                (sp == SynCorpus.Split.TRAIN ? trainDocs : sp == SynCorpus.Split.VALIDATION ? valDocs : hyperDocs).add(doc);
            }
        } else {
            source = "SYN (seed " + seed + ")" + (natural ? "; " + Corpora.NAT_MISSING : "");
            SynCorpus syn = new SynCorpus(seed);
            trainDocs.add(syn.split(SynCorpus.Split.TRAIN, s.pretrainBytes()));
            // Documents are ~1 kB; read enough of them for the requested pieces (checked below).
            int need = Math.max(s.hyperfitSeqs(), s.validationSeqs());
            for (String d : syn.documents(SynCorpus.Split.HYPERFIT, need)) {
                hyperDocs.add(d.getBytes(StandardCharsets.US_ASCII));
            }
            for (String d : syn.documents(SynCorpus.Split.VALIDATION, need)) {
                valDocs.add(d.getBytes(StandardCharsets.US_ASCII));
            }
        }
        byte[] pretrainText = prefix(concat(trainDocs), s.pretrainBytes());
        byte[] bpeText = Arrays.copyOf(pretrainText, Math.min(pretrainText.length, s.bpeBytes()));
        // The alphabet covers every byte of every split, so H and V always encode; merges are learnt on P only.
        Alphabet alphabet = Alphabet.of(concat(List.of(pretrainText, concat(hyperDocs), concat(valDocs))));
        BpeTokenizer bpe = BpeTrainer.trainToVocab(bpeText, VOCAB, alphabet, Pretokenizer.WHITESPACE);
        int[] pretrain = bpe.encode(pretrainText);
        List<int[]> h = pieces(bpe, hyperDocs, s.seqLen(), s.hyperfitSeqs(), "hyperfit (H)");
        List<int[]> v = pieces(bpe, valDocs, s.seqLen(), s.validationSeqs(), "validation (V)");
        return new HyperfitData(source, isNat, bpe, pretrain, h, v, (double) pretrainText.length / pretrain.length);
    }

    /** The NAT split of address {@code i} (same 8 : 1 : 1 rule as SYN). */
    static SynCorpus.Split splitOf(long i) {
        for (SynCorpus.Split sp : SynCorpus.Split.values()) {
            if (sp.contains(i)) {
                return sp;
            }
        }
        throw new AssertionError();
    }

    /**
     * The first {@code count} non-overlapping {@code len}-token pieces of the documents, taken document by
     * document (a document's tail shorter than {@code len} is dropped).
     */
    static List<int[]> pieces(BpeTokenizer bpe, List<byte[]> docs, int len, int count, String what) {
        List<int[]> out = new ArrayList<>(count);
        for (byte[] d : docs) {
            int[] ids = bpe.encode(d);
            for (int from = 0; from + len <= ids.length && out.size() < count; from += len) {
                out.add(Arrays.copyOfRange(ids, from, from + len));
            }
            if (out.size() == count) {
                return out;
            }
        }
        throw new IllegalStateException(what + ": the documents give only " + out.size() + " pieces of " + len
                + " tokens, " + count + " are needed");
    }

    /** The pieces of H a run hyperfits on: the first {@code n}. */
    public List<int[]> hyperfitSet(int n) {
        if (n > hyperfit.size()) {
            throw new IllegalArgumentException("hyperfit set of " + n + " requested, only " + hyperfit.size() + " built");
        }
        return hyperfit.subList(0, n);
    }

    /** Decodes token ids to text (invalid UTF-8 replaced), for sample continuations. */
    public String text(int[] ids) {
        return new String(tokenizer.decode(ids), StandardCharsets.UTF_8);
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] prefix(byte[] b, int n) {
        if (b.length < n) {
            throw new IllegalStateException("pre-training text has " + b.length + " bytes, " + n + " requested");
        }
        return Arrays.copyOf(b, n);
    }
}
