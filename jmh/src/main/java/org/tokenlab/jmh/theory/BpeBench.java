package org.tokenlab.jmh.theory;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.tokenlab.theory.markov.MarkovSource;
import org.tokenlab.theory.tokenize.Alphabet;
import org.tokenlab.theory.tokenize.BpeTokenizer;
import org.tokenlab.theory.tokenize.BpeTrainer;
import org.tokenlab.theory.tokenize.Pretokenizer;
import org.tokenlab.theory.tokenize.WordSalad;

/**
 * BPE training and encoding. Text: 10 MB of seeded word salad, 1024 merges, whitespace pretokenizer.
 * Markov: 1 M characters of the k = 4, p = q = 0.1 switching source as one chunk (no pretokenizer),
 * 126 merges (d = 128). Single-shot: one operation is one full pass; MB/s = size / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class BpeBench {
    private byte[] text;
    private byte[] markov;
    private BpeTokenizer textBpe;
    private BpeTokenizer markovBpe;

    @Setup
    public void setup() {
        text = WordSalad.generate(10_000_000, 1);
        markov = MarkovSource.switching(4, 0.1, 0.1).generate(1_000_000, 1);
        textBpe = BpeTrainer.train(text, 1024, Alphabet.allBytes(), Pretokenizer.WHITESPACE);
        markovBpe = BpeTrainer.trainToVocab(markov, 128, Alphabet.ofValues(0, 1), Pretokenizer.NONE);
    }

    /** Train 1024 merges on 10 MB of text. */
    @Benchmark
    public BpeTokenizer trainText10MB() {
        return BpeTrainer.train(text, 1024, Alphabet.allBytes(), Pretokenizer.WHITESPACE);
    }

    /** Encode 10 MB of text with a fresh tokenizer (empty chunk cache). */
    @Benchmark
    public int[] encodeText10MBColdCache() {
        return new BpeTokenizer(textBpe.alphabet(), textBpe.merges(), textBpe.pretokenizer()).encode(text);
    }

    /** Encode 10 MB of text with the chunk cache already filled. */
    @Benchmark
    public int[] encodeText10MBWarmCache() {
        return textBpe.encode(text);
    }

    /** Train d = 128 on 1 M Markov characters, one chunk. */
    @Benchmark
    public BpeTokenizer trainMarkov1M() {
        return BpeTrainer.trainToVocab(markov, 128, Alphabet.ofValues(0, 1), Pretokenizer.NONE);
    }

    /** Encode 1 M Markov characters, one chunk. */
    @Benchmark
    public int[] encodeMarkov1M() {
        return markovBpe.encode(markov);
    }
}
