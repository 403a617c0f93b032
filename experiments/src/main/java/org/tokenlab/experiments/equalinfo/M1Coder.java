package org.tokenlab.experiments.equalinfo;

import java.util.ArrayList;
import java.util.List;
import org.tokenlab.theory.coding.ArithmeticCoding;
import org.tokenlab.theory.coding.BitBuffer;
import org.tokenlab.theory.coding.EqualInfoWindows;
import org.tokenlab.theory.coding.ProbabilityModel;
import org.tokenlab.theory.coding.RangeDecoder;

/**
 * Codes validation or training chunks (symbol arrays, each coded on its own) under an M1: plain AC and
 * EqualInfoAC[W], and their decoders for E1. {@link #sequential} codes chunk by chunk through any
 * {@link ProbabilityModel} (the n-gram and the unigram); {@link TransformerCoder} batches many chunks into
 * one forward of the byte transformer.
 */
interface M1Coder {
    /** One line for the report's setup. */
    String description();

    /** AC codes of every chunk, and M1's ideal code length −log₂ p̂ of all of them (bits). */
    record Ac(List<BitBuffer> codes, double idealBits) {
    }

    /** Plain AC of every chunk. */
    Ac ac(List<int[]> chunks);

    /** EqualInfoAC[W] of every chunk. */
    List<EqualInfoWindows.Encoded> equalInfo(List<int[]> chunks, int windowBits);

    /** Decodes AC codes, chunk i to {@code lengths[i]} symbols. */
    List<int[]> decodeAc(List<BitBuffer> codes, int[] lengths);

    /** Decodes EqualInfoAC with the per-window counts. */
    List<int[]> decodeEqualInfo(List<EqualInfoWindows.Encoded> encoded);

    /**
     * How many chunks the count-free look-ahead decoder (paper App. D.5) recovers exactly, or −1 when this
     * coder does not measure it.
     */
    int lookaheadExact(List<EqualInfoWindows.Encoded> encoded, List<int[]> chunks);

    /** Chunk by chunk through {@code model}. */
    static M1Coder sequential(ProbabilityModel model, String description) {
        return new M1Coder() {
            @Override
            public String description() {
                return description;
            }

            @Override
            public Ac ac(List<int[]> chunks) {
                List<BitBuffer> codes = new ArrayList<>();
                double ideal = 0;
                for (int[] x : chunks) {
                    codes.add(ArithmeticCoding.encode(model, x));
                    ideal += model.idealBits(x);
                }
                return new Ac(codes, ideal);
            }

            @Override
            public List<EqualInfoWindows.Encoded> equalInfo(List<int[]> chunks, int windowBits) {
                return chunks.stream().map(x -> EqualInfoWindows.encode(model, x, windowBits)).toList();
            }

            @Override
            public List<int[]> decodeAc(List<BitBuffer> codes, int[] lengths) {
                List<int[]> out = new ArrayList<>();
                for (int i = 0; i < codes.size(); i++) {
                    out.add(ArithmeticCoding.decode(model, codes.get(i), lengths[i]));
                }
                return out;
            }

            @Override
            public List<int[]> decodeEqualInfo(List<EqualInfoWindows.Encoded> encoded) {
                return encoded.stream().map(e -> EqualInfoWindows.decode(model, e)).toList();
            }

            @Override
            public int lookaheadExact(List<EqualInfoWindows.Encoded> encoded, List<int[]> chunks) {
                int exact = 0;
                for (int i = 0; i < chunks.size(); i++) {
                    int[] x = chunks.get(i);
                    try {
                        int[] back = EqualInfoWindows.decodeLookahead(model, encoded.get(i).bits(),
                                encoded.get(i).windowBits(), x.length);
                        exact += java.util.Arrays.equals(x, back) ? 1 : 0;
                    } catch (RangeDecoder.CorruptCodeException e) {
                        // a stream the rule cannot split counts as a miss
                    }
                }
                return exact;
            }
        };
    }
}
