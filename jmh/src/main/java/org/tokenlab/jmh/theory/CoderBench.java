package org.tokenlab.jmh.theory;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.tokenlab.theory.coding.ArithmeticCoding;
import org.tokenlab.theory.coding.BitBuffer;
import org.tokenlab.theory.coding.EqualInfoWindows;
import org.tokenlab.theory.coding.FrequencyTable;
import org.tokenlab.theory.coding.NGramByteModel;
import org.tokenlab.theory.coding.ProbabilityModel;
import org.tokenlab.theory.coding.StaticModel;
import org.tokenlab.theory.coding.Symbols;
import org.tokenlab.theory.tokenize.WordSalad;

/**
 * Range coder throughput on 1 MiB of English-like text (one operation = 1 MiB, so ops/s = MiB/s).
 * {@code model}: {@code static} is a byte unigram (StaticAC: the coder's own cost), {@code ngram} the
 * order-2 add-½ model (the quick-profile M1: coder plus table lookups).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class CoderBench {
    private static final int BYTES = 1 << 20;

    @Param({"static", "ngram"})
    public String model;

    private ProbabilityModel m;
    private int[] symbols;
    private BitBuffer code;

    @Setup
    public void setup() {
        byte[] train = WordSalad.generate(2 * BYTES, 1);
        byte[] data = WordSalad.generate(BYTES, 2);
        m = model.equals("static")
                ? StaticModel.fitBytes(train, FrequencyTable.DEFAULT_PRECISION)
                : NGramByteModel.fit(train, FrequencyTable.DEFAULT_PRECISION);
        symbols = Symbols.fromBytes(data);
        code = ArithmeticCoding.encode(m, symbols);
    }

    /** Plain AC over 1 MiB: encode. */
    @Benchmark
    public BitBuffer encode() {
        return ArithmeticCoding.encode(m, symbols);
    }

    /** Plain AC over 1 MiB: decode. */
    @Benchmark
    public int[] decode() {
        return ArithmeticCoding.decode(m, code, symbols.length);
    }

    /** Equal-info windows of 16 bits over 1 MiB (the fit test runs once per byte). */
    @Benchmark
    public EqualInfoWindows.Encoded encodeEqualInfo16() {
        return EqualInfoWindows.encode(m, symbols, 16);
    }
}
